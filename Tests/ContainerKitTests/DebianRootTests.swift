import Testing
@testable import ContainerKit

@Suite struct DebianRootTests {
    @Test func inittabLosesGettysAndReportsTheRunlevel() {
        let text = """
            id:2:initdefault:
            si::sysinit:/etc/init.d/rcS
            l2:2:wait:/etc/init.d/rc 2
            1:2345:respawn:/sbin/getty --noclear 38400 tty1
            2:23:respawn:/sbin/getty 38400 tty2
            #T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
            z6:6:respawn:/sbin/sulogin --force

            """
        let once = DebianRoot.containerInittab(text)
        #expect(once == """
            id:2:initdefault:
            si::sysinit:/etc/init.d/rcS
            l2:2:wait:/etc/init.d/rc 2
            #T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
            z6:6:respawn:/sbin/sulogin --force
            vz:2345:once:/bin/sh -c '[ -p /.vzfifo ] && : > /.vzfifo'

            """)
        #expect(DebianRoot.containerInittab(once) == once)
    }
}
