#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Files {
    /// Copies a sparse file (an image) to the new file `dest` and syncs it:
    /// a reflink where the file system can share blocks, else only the data
    /// extents that SEEK_DATA/SEEK_HOLE find, so holes stay holes and the copy
    /// shares nothing with the source.
    public static func copySparse(_ source: String, to dest: String) throws(SysError) {
        let src = try check("open", source) { open(source, O_RDONLY | O_CLOEXEC) }
        defer { close(src) }
        var st = stat()
        try check("fstat", source) { fstat(src, &st) }
        let dst = try check("open", dest) { open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0o7777) }
        defer { close(dst) }
        if vz_ficlone(dst, src) != 0 {
            try check("ftruncate", dest) { ftruncate(dst, st.st_size) }
            try copyExtents(src, source, to: dst, dest, size: st.st_size)
        }
        try check("fsync", dest) { fsync(dst) }
    }

    private static func copyExtents(_ src: Int32, _ source: String, to dst: Int32, _ dest: String, size: off_t) throws(SysError) {
        var offset: off_t = 0
        while offset < size {
            let data = lseek(src, offset, Int32(VZ_SEEK_DATA))
            if data < 0 {
                if errno == ENXIO { return }  // only a hole is left
                throw SysError("lseek", source)
            }
            let hole = try check("lseek", source) { lseek(src, data, Int32(VZ_SEEK_HOLE)) }
            var from = data
            var to = data
            while from < hole {
                let n = try check("copy_file_range", dest) { vz_copy_file_range(src, &from, dst, &to, Int(hole - from)) }
                if n == 0 { return }  // the source got shorter
            }
            offset = hole
        }
    }
}
