/// vzctl's exit codes (vzerror.h), by their classic meaning.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    case setUBCError = 1
    case systemError = 3
    case badKernel = 5
    case resourceError = 6
    case envCreateError = 7
    case commandExecution = 8
    case locked = 9
    case noConfig = 10
    case noAccess = 12
    case noVEConfig = 14
    case chkpntError = 16
    case restoreError = 17
    case execTimeout = 15
    case invalidSyntax = 20
    case invalidValue = 21
    case rootNotSet = 22
    case privateNotSet = 23
    case templateNotSet = 24
    case ostemplateNotSet = 29
    case notRunning = 31
    case running = 32
    case stopError = 33
    case cantAddIP = 34
    case fsNotMounted = 40
    case fsMounted = 41
    case noPrivate = 43
    case privateExists = 44
    case noDiskSpace = 46
    case badTemplate = 47
    case newPrivate = 48
    case mountPointCreate = 49
    case cantMount = 50
    case cantUmount = 51
    case deletePrivate = 52
    case cantCreateDir = 54
    case diskQuotaSet = 62
    case diskspaceNotSet = 63
    case badHostname = 70
    case badIP = 71
    case badDNSServer = 72
    case badDNSSearch = 73
    case changePassword = 74
    case ipInUse = 78
    case actionScript = 79
    case copyConfig = 82
    case invalidConfig = 85
    case installAppsError = 87
    case ostemplateNotFound = 91
    case netdevError = 104
    case startDisabled = 105
    case applyConfig = 109
    case setName = 131
    case vethError = 130
    case waitFailed = 133
    case configSave = 139
    case resizeImage = 154
    case createSnapshot = 156
    case deleteSnapshot = 158
    case switchSnapshot = 159
    case mountSnapshot = 160
    case umountSnapshot = 161
    case listSnapshot = 167
}

/// What a command fails with: the classic one-line message and exit code.
public struct VZError: Error, Sendable, CustomStringConvertible {
    public let code: ExitCode
    public let message: String

    public init(_ code: ExitCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A system failure inside an operation, with the call that failed.
    public init(_ code: ExitCode, _ context: String, _ cause: SysError) {
        self.init(code, "\(context): \(cause)")
    }

    public var description: String { message }
}
