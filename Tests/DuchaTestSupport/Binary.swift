import Foundation

/// The built `ducha` executable, run as a user would run it.
public enum Binary {
    /// .build/debug/ducha (or $DUCHA_BIN).
    public static var path: String {
        if let p = ProcessInfo.processInfo.environment["DUCHA_BIN"], !p.isEmpty { return p }
        return Fixtures.packageRoot + "/.build/debug/ducha"
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs ducha with `arguments`; `environment` is added to a clean environment (no
    /// DUCHA_REPO or DUCHA_TODAY from the caller leak in). `runAs` runs it through runuser.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, runAs user: String? = nil,
        binary: String? = nil
    ) throws -> Result {
        let path = binary ?? Binary.path
        let p = Process()
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()]
        for (k, v) in environment { env[k] = v }
        if let user {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", user, "--", "/usr/bin/env"] + env.map { "\($0.key)=\($0.value)" } + [path] + arguments
            p.environment = ["PATH": "/usr/sbin:/usr/bin:/bin"]
        } else {
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = arguments
            p.environment = env
        }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Real OS accounts for role tests (useradd), removed again at the end.
public enum OSAccounts {
    public static var canCreate: Bool { geteuid() == 0 && FileManager.default.fileExists(atPath: "/usr/sbin/useradd") }

    /// Creates `login` (if missing) in `group` (created if missing).
    public static func ensure(_ login: String, group: String) throws {
        if shell("getent group \(group) >/dev/null || groupadd \(group)") != 0 { throw AccountError(what: "groupadd \(group)") }
        if shell("id -u \(login) >/dev/null 2>&1 || useradd -M -N -g \(group) -s /usr/sbin/nologin \(login)") != 0 {
            throw AccountError(what: "useradd \(login)")
        }
    }

    /// The OS account's user id.
    public static func uid(_ login: String) -> UInt32 { getpwnam(login).map { $0.pointee.pw_uid } ?? UInt32.max }

    /// Makes `path` (a repository folder) belong to `group`, with group access.
    public static func share(_ path: String, group: String) {
        _ = shell("chgrp -R \(group) '\(path)' && chmod -R g+rwX '\(path)' && chmod g+s '\(path)'")
    }

    /// Installs the built binary and the data folder under `prefix` (bin/ducha, share/ducha),
    /// readable by everyone, so other accounts can run it wherever the source tree lives.
    public static func install(into prefix: String) -> String {
        shell(
            "mkdir -p '\(prefix)/bin' '\(prefix)/share' && cp '\(Binary.path)' '\(prefix)/bin/ducha' && cp '\(Binary.path)-papers' '\(prefix)/bin/ducha-papers' && cp '\(Binary.path)-pg' '\(prefix)/bin/ducha-pg' && cp -r '\(Fixtures.dataPath)' '\(prefix)/share/ducha' && chmod -R a+rX '\(prefix)'"
        )
        return prefix + "/bin/ducha"
    }

    @discardableResult
    public static func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    public struct AccountError: Error { public var what: String }
}
