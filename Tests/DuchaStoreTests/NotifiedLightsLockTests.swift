import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

@testable import DuchaStore

/// The lights notified are kept under a lock that only this process holds: a child another
/// thread forks while it is held (a hook, in a process doing several things at once) does not
/// keep the next run out once this one has closed the file.
@Suite struct NotifiedLightsLockTests {
    @Test func aChildForkedWhileTheLightsAreLockedDoesNotKeepTheLock() throws {
        let dir = TemporaryDirectory()
        let repo = try LoadModeTests().demo(dir)
        var child: pid_t = -1
        #expect(
            try repo.updateNotifiedLights { _ in
                child = fork()
                if child == 0 {
                    usleep(500_000)
                    _exit(0)
                }
                return ["督〔2026〕第0001号": "yellow"]
            })
        defer {
            var status: Int32 = 0
            if child > 0 { waitpid(child, &status, 0) }
        }
        #expect(child > 0)
        // The child still has the file open; the next run gets the lock all the same.
        #expect(try repo.updateNotifiedLights { _ in ["督〔2026〕第0001号": "red"] })
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: repo.directory + "/hooks-state")), as: UTF8.self)
        #expect(text == "督〔2026〕第0001号\tred\n")
    }
}
