#if canImport(Glibc)
    import Glibc
#endif

/// A path the user typed, made absolute: `~` and `~/…` are the user's home folder (the real
/// user's, from the account database, as a shell would), anything else not starting with `/`
/// is relative to the folder ducha was started in.
public enum UserPath {
    public static func resolve(_ typed: String, in workingDirectory: String) -> String {
        if typed.hasPrefix("/") { return typed }
        if typed == "~" || typed.hasPrefix("~/") { return home() + typed.dropFirst() }
        return workingDirectory + "/" + typed
    }

    public static func home() -> String {
        if let pw = getpwuid(getuid()), let dir = String(validatingCString: pw.pointee.pw_dir), !dir.isEmpty {
            return dir
        }
        if let h = getenv("HOME"), let s = String(validatingCString: h), !s.isEmpty { return s }
        return "/"
    }

    /// Whether something is at `path` (a dangling symbolic link counts).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}
