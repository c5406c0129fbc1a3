import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// The locale curses draws with. Chinese shows only under a UTF-8 locale; SSH clients often
/// bring none (LANG unset), C, or one the server does not have (zh_CN.UTF-8 from a Chinese
/// Windows or macOS). Then C.UTF-8 — always present on Debian — is used instead, and the
/// status line says so once.
public enum TerminalLocale {
    /// Sets the process's locale from the environment, falling back to a UTF-8 one; returns
    /// the notice for the status line when it fell back (nil when the environment's was fine).
    static func setUp() -> String? {
        let loaded = setlocale(LC_ALL, "") != nil
        if loaded, codesetIsUTF8 { return nil }
        let requested = requestedName(environment: ProcessInfoLite.environment(["LC_ALL", "LC_CTYPE", "LANG"]))
        for fallback in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_ALL, fallback) != nil && codesetIsUTF8 {
            return notice(requested: requested, loaded: loaded, fallback: fallback)
        }
        return "系统没有 UTF-8 语言环境，中文可能无法显示：请安装 locales 并设置 LANG=C.UTF-8"
    }

    static var codesetIsUTF8: Bool {
        guard let c = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: c).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// The locale the environment asks for, as the C library reads it: LC_ALL, else LC_CTYPE
    /// (what decides the characters), else LANG; nil when none is set.
    public static func requestedName(environment: [String: String]) -> String? {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = environment[name], !v.isEmpty { return v }
        }
        return nil
    }

    /// What the status line says after falling back to `fallback`: `loaded` is whether the
    /// requested locale exists on this system (it then is simply not UTF-8).
    public static func notice(requested: String?, loaded: Bool, fallback: String = "C.UTF-8") -> String {
        guard let requested else { return "未设置语言环境（LANG），已改用 \(fallback) 显示中文" }
        let name = requested.sanitized().truncated(toWidth: 30)
        if !loaded { return "系统语言环境 \(name) 未安装，已改用 \(fallback) 显示中文" }
        return "系统语言环境 \(name) 不支持中文（不是 UTF-8），已改用 \(fallback) 显示中文"
    }
}

/// The few environment variables the locale needs, read without Foundation.
enum ProcessInfoLite {
    static func environment(_ names: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for n in names { if let v = getenv(n) { out[n] = String(cString: v) } }
        return out
    }
}
