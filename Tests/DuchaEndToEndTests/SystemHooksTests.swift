import DuchaTestSupport
import Foundation
import Testing

/// Hooks on the multi-user server (the setuid install of SystemServerTests): only programs that
/// no one but root or the service account may change are registered or run; they run as the
/// service account (real and effective uid), with a clean environment, after the commit.
@Suite(.serialized, .enabled(if: OSAccounts.canCreate, "需要 root 才能建立系统账户、安装 setuid 程序"))
struct SystemHooksTests {
    @Test func onlyProgramsNoOneElseMayChangeRunAndAsTheServiceAccount() throws {
        let server = try SystemServerTests.Server()
        try server.populate()
        let s = SystemServerTests.supervisor
        let hooks = server.dir.sub("hooks")
        let out = server.dir.sub("out")
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        OSAccounts.shell("chmod 755 '\(hooks)' && chown ducha '\(out)' && chmod 700 '\(out)'")
        let record = hooks + "/record"
        try Script.write(
            "#!/bin/sh\nid -u > \(out)/uid\nid -ru >> \(out)/uid\nenv > \(out)/env\ncat > \(out)/stdin\n", to: record)
        // Writable by others: refused when registered, nothing recorded.
        let open = hooks + "/open"
        try "#!/bin/sh\ntouch \(out)/open\n".write(toFile: open, atomically: false, encoding: .utf8)
        chmod(open, 0o757)
        let refused = try server.ducha(s, ["config", "hook.交办", open])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("共享服务器上不运行通知程序 \(open)：该文件可由其他用户修改"), "\(refused.stderr)")
        #expect(try server.ducha(s, ["config", "hook.交办"]).stdout == "\n")

        let set = try server.ducha(s, ["config", "hook.交办", record])
        #expect(set.status == 0, "\(set.stderr)")
        let added = try server.ducha(
            s, ["add", "--title", "城区停车难治理", "--lead", "县财政局", "--deadline", server.deadline],
            environment: ["SECRET_TOKEN": "x"])
        #expect(added.status == 0 && added.stderr.isEmpty, "\(added.stderr)")
        let uid = String(getpwnam("ducha")!.pointee.pw_uid)
        #expect(try String(contentsOfFile: out + "/uid", encoding: .utf8) == "\(uid)\n\(uid)\n")
        let env = try String(contentsOfFile: out + "/env", encoding: .utf8)
        #expect(!env.contains("SECRET_TOKEN") && env.contains("DUCHA_EVENT=交办"), "\(env)")
        #expect(try String(contentsOfFile: out + "/stdin", encoding: .utf8).contains("\"title\":\"城区停车难治理\""))

        // Made writable by others after it was registered: not run, logged, the record kept.
        chmod(record, 0o777)
        try? FileManager.default.removeItem(atPath: out + "/stdin")
        let again = try server.ducha(s, ["add", "--title", "背街小巷路灯", "--lead", "县发改局", "--deadline", server.deadline])
        #expect(again.status == 0)
        #expect(again.stderr.contains("记录不受影响"), "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/stdin"))
        let log = try String(contentsOfFile: server.repo + "/hooks.log", encoding: .utf8)
        #expect(log.contains("交办 ") && log.contains("可由其他用户修改"), "\(log)")
        #expect(try server.ducha(s, ["list"]).stdout.contains("背街小巷路灯"))
        // The log is the service account's, like the rest of the repository.
        let a = try FileManager.default.attributesOfItem(atPath: server.repo + "/hooks.log")
        #expect(a[.ownerAccountName] as? String == "ducha")
        #expect((a[.posixPermissions] as? Int ?? 0) & 0o777 == 0o600)
    }
}
