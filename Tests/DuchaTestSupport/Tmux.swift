import DuchaLocalPostgres
import Foundation

/// A real terminal for end-to-end tests: a private tmux server (its own socket), one session
/// running a command. Keys go in with send-keys, the screen comes out with capture-pane.
public final class Tmux: @unchecked Sendable {
    public let socket: String
    public let session = "ducha"

    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts `command` (run by /bin/sh) in a width × height terminal.
    public init(_ command: String, width: Int = 100, height: Int = 30) throws {
        socket = "ducha-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
    }

    deinit { kill() }

    /// Closes the terminal (as when an SSH connection drops or the window is closed).
    public func kill() { _ = try? tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let env = ["LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/bin", "TERM=xterm-256color", "HOME=/tmp"]
        let r = try Spawn.run("/usr/bin/tmux", ["-u", "-L", socket, "-f", "/dev/null"] + args, environment: env)
        return r.output
    }

    /// Named keys (Enter, Escape, Down, C-c) or single characters.
    public func keys(_ keys: String...) throws {
        for k in keys { try tmux(["send-keys", "-t", session, k]) }
    }

    /// Text typed literally, as an input method delivers it.
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Text pasted: all of it at once, as a terminal delivers a paste (tmux's paste buffer);
    /// `bracketed`: marked as a paste when the program asked for that (ESC[200~ … ESC[201~).
    public func paste(_ text: String, bracketed: Bool = true) throws {
        let file = NSTemporaryDirectory() + "ducha-paste-\(getpid())-\(session).txt"
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        defer { unlink(file) }
        try tmux(["load-buffer", "-b", "paste", file])
        try tmux(["paste-buffer", "-d", "-b", "paste", "-t", session] + (bracketed ? ["-p"] : []))
    }

    /// Raw bytes, as a terminal sends them for a key: "1b 5b 31 7e" is PuTTY's Home.
    public func bytes(_ hex: String) throws {
        try tmux(["send-keys", "-t", session, "-H"] + hex.split(separator: " ").map(String.init))
    }

    /// The screen as text; with `escapes`, including colour and attribute sequences.
    public func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen contains `text`; returns the screen and how long it took.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 10) throws -> (screen: String, seconds: Double) {
        let start = Date()
        var last = ""
        while Date().timeIntervalSince(start) < timeout {
            last = try screen()
            if last.contains(text) { return (last, Date().timeIntervalSince(start)) }
            usleep(50_000)
        }
        throw Timeout(text: text, screen: last)
    }

    /// Waits until one capture of the screen contains every one of `texts` and none of `absent`
    /// (a frame may be captured half drawn: texts on different rows are only checked together
    /// this way).
    @discardableResult
    public func waitFor(all texts: [String], none absent: [String] = [], timeout: Double = 10) throws -> String {
        let start = Date()
        var last = ""
        while Date().timeIntervalSince(start) < timeout {
            last = try screen()
            if texts.allSatisfy({ last.contains($0) }), !absent.contains(where: { last.contains($0) }) { return last }
            usleep(50_000)
        }
        throw Timeout(
            text: texts.joined(separator: "”与“") + (absent.isEmpty ? "" : "”而没有“" + absent.joined(separator: "”“")), screen: last)
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var text: String
        public var screen: String
        public var description: String { "等待“\(text)”超时，屏幕内容：\n\(screen)" }
    }
}

/// Runs a program with posix_spawn and waits for it with waitpid (`Spawning.run`): unlike
/// Foundation's Process, it copes with children that start daemons (tmux's server), which keep
/// no pipe of ours open because the child's stdin and stderr are /dev/null and its stdout is
/// read to the end.
public enum Spawn {
    public struct Failed: Error { public var what: String }

    public static func run(_ path: String, _ args: [String], environment: [String]) throws -> (status: Int32, output: String) {
        do throws(Spawning.Failure) {
            return try Spawning.run(path, [path] + args, environment: environment)
        } catch {
            throw Failed(what: "posix_spawn \(path): \(error.what)")
        }
    }
}
