#if canImport(Glibc)
    import Glibc
#endif

// Not in the Glibc module (sys/auxv.h; _GNU_SOURCE in unistd.h): declared here, C's own functions.
@_silgen_name("getauxval") private func c_getauxval(_ type: UInt) -> UInt
@_silgen_name("setresuid") private func c_setresuid(_ r: uid_t, _ e: uid_t, _ s: uid_t) -> Int32
@_silgen_name("getresuid") private func c_getresuid(
    _ r: UnsafeMutablePointer<uid_t>, _ e: UnsafeMutablePointer<uid_t>, _ s: UnsafeMutablePointer<uid_t>
) -> Int32
/// AT_SECURE from elf.h: the kernel's "this program runs with privileges" flag.
private let atSecure: UInt = 23

/// On a shared server ducha is installed setuid to the service account `ducha`, which alone
/// can read and write the repository. Such a run is privileged: the real user (who runs it)
/// differs from the effective one (the service account), and the kernel sets AT_SECURE.
/// The service account's rights serve the repository only; whatever is done on the user's
/// behalf elsewhere (exports, the files read by import and calendar add, the editor) runs
/// with the user's own rights, through `perform`.
public enum UserRights {
    /// Who runs the program (getuid), the only identity ducha acts for.
    public nonisolated(unsafe) private(set) static var realUID: uid_t = getuid()
    /// The effective user at start: the service account in a privileged run.
    public nonisolated(unsafe) private(set) static var serviceUID: uid_t = geteuid()
    /// Whether this is a privileged (setuid) run.
    public nonisolated(unsafe) private(set) static var isPrivileged = false

    /// Records the identities; called first thing in main, before anything can change them.
    public static func start() {
        realUID = getuid()
        serviceUID = geteuid()
        isPrivileged = c_getauxval(atSecure) != 0 || realUID != serviceUID || getgid() != getegid()
    }

    /// Runs `body` with the user's own rights: the effective uid becomes the real uid for the
    /// duration (the service account stays the saved set-user-ID, so it can be taken back).
    /// Outside a privileged run, just runs `body`.
    public static func perform<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard isPrivileged, geteuid() != realUID else { return try body() }
        guard seteuid(realUID) == 0 else { fail("无法切换为用户自己的权限（seteuid）") }
        defer { if seteuid(serviceUID) != 0 { fail("无法切换回 ducha 系统账户的权限（seteuid）") } }
        return try body()
    }

    /// Gives up the service account for good (real, effective and saved uid all the user's);
    /// used in a child process before it runs the user's programs. False when that failed.
    public static func dropForGood() -> Bool {
        guard isPrivileged else { return true }
        guard c_setresuid(realUID, realUID, realUID) == 0 else { return false }
        var r: uid_t = 0
        var e: uid_t = 0
        var s: uid_t = 0
        return c_getresuid(&r, &e, &s) == 0 && r == realUID && e == realUID && s == realUID
    }

    /// Stops the program: going on with the wrong rights is never an option.
    static func fail(_ message: String) -> Never {
        let text = Array("错误：\(message)\n".utf8)
        _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        _exit(1)
    }
}
