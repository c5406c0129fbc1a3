import DuchaTestSupport
import Foundation
import Testing

/// The multi-user server as the README sets it up: `make install` (the debug build, into a
/// temporary PREFIX) makes the binary setuid to the service account ducha, and
/// `ducha init --system` makes the repository that only ducha can read and write. Real OS
/// accounts, each command run with runuser as that account.
@Suite(.serialized, .enabled(if: OSAccounts.canCreate, "需要 root 才能建立系统账户、安装 setuid 程序"))
struct SystemServerTests {
    static let group = "duchat"
    static let supervisor = "duchat_sup"
    static let finance = "duchat_cz3"
    static let planning = "duchat_fg3"
    static let stranger = "duchat_out"

    /// A server set up by the two commands: install, then init --system.
    struct Server {
        let dir: TemporaryDirectory
        let binary: String
        let repo: String
        let deadline: String

        init() throws {
            for login in [
                SystemServerTests.supervisor, SystemServerTests.finance, SystemServerTests.planning, SystemServerTests.stranger,
            ] {
                try OSAccounts.ensure(login, group: SystemServerTests.group)
            }
            dir = TemporaryDirectory("ducha-system")
            let prefix = dir.sub("prefix")
            // What `sudo make install` does, with the debug build.
            let make = OSAccounts.shell(
                "make -s -C '\(Fixtures.packageRoot)' install PREFIX='\(prefix)' INSTALL_BIN='\(Binary.path)' >/dev/null")
            #expect(make == 0)
            binary = prefix + "/bin/ducha"
            let attributes = try FileManager.default.attributesOfItem(atPath: binary)
            #expect(attributes[.ownerAccountName] as? String == "ducha")
            #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o7777 == 0o4755)
            try FileManager.default.createDirectory(atPath: dir.sub("var"), withIntermediateDirectories: false)
            chmod(dir.sub("var"), 0o755)
            repo = dir.sub("var") + "/ducha"
            // What `sudo ducha init --system` does: run by root.
            let initialised = try Binary.run(
                ["init", "--system", "--supervisor", SystemServerTests.supervisor, "--office", "青山县委督查室", "--repo", repo],
                binary: binary)
            #expect(initialised.status == 0, "\(initialised.stderr)")
            #expect(initialised.stdout.contains("已将 \(SystemServerTests.supervisor)（uid"))
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            deadline = "\(year + 1)-06-30"
        }

        /// ducha run by `user` (no --repo: the configuration file names the repository).
        func ducha(_ user: String, _ args: [String], environment: [String: String] = [:]) throws -> Binary.Result {
            try Binary.run(args, environment: environment, runAs: user, binary: binary)
        }

        /// A shell command run by `user`; its exit status.
        func shell(_ user: String, _ command: String) -> Int32 {
            OSAccounts.shell("runuser -u \(user) -- /bin/sh -c \"\(command)\" 2>/dev/null")
        }

        /// A folder of `user`'s own.
        func home(_ user: String) -> String {
            let path = dir.sub("home-" + user)
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            OSAccounts.shell("chown \(user) '\(path)' && chmod 700 '\(path)'")
            return path
        }

        func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: repo + "/" + name)) }

        /// The supervisor's first steps: two units, their accounts, one item each.
        func populate() throws {
            let s = SystemServerTests.supervisor
            for u in ["县财政局", "县发改局"] { #expect(try ducha(s, ["unit", "add", u]).status == 0) }
            for (login, unit) in [(SystemServerTests.finance, "县财政局"), (SystemServerTests.planning, "县发改局")] {
                let r = try ducha(s, ["user", "add", login, "--role", "unit", "--unit", unit])
                #expect(r.status == 0, "\(r.stderr)")
            }
            for (title, unit) in [("财政资金直达基层", "县财政局"), ("工业园区用电报装提速", "县发改局")] {
                let r = try ducha(s, ["add", "--title", title, "--lead", unit, "--deadline", deadline])
                #expect(r.status == 0, "\(r.stderr)")
            }
        }
    }

    /// make install puts the manual page and the completion scripts in place; Tab, pressed by a
    /// unit's user, offers that unit's items only (the setuid binary answers for it).
    @Test func manualPageAndCompletionAreInstalledAndCompleteForTheUser() throws {
        let server = try Server()
        try server.populate()
        let prefix = server.dir.sub("prefix")
        let page = try String(contentsOfFile: prefix + "/share/man/man1/ducha.1", encoding: .utf8)
        #expect(page.contains(".TH DUCHA 1") && page.contains(".SS \"ducha sign\""))
        #expect(OSAccounts.shell("man -l '\(prefix)/share/man/man1/ducha.1' >/dev/null 2>&1") == 0)
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/zsh/site-functions/_ducha"))
        let script = prefix + "/share/bash-completion/completions/ducha"
        for (user, expected) in [(SystemServerTests.finance, ["1"]), (SystemServerTests.supervisor, ["1", "2"])] {
            let home = server.home(user)
            let file = home + "/tab.sh"
            try
                "export PATH='\(prefix)/bin':/usr/bin:/bin\nsource '\(script)'\nCOMP_WORDS=(ducha sign '')\nCOMP_CWORD=2\n_ducha\nprintf '%s\\n' \"${COMPREPLY[@]}\" > '\(home)/out'\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            OSAccounts.shell("chown \(user) '\(file)'")
            #expect(server.shell(user, "bash \(file)") == 0)
            let offered = try String(contentsOfFile: home + "/out", encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(offered == expected, "\(user)")
        }
    }

    @Test func theRepositoryIsTheServiceAccountsAloneAndTheActorIsTheRealUser() throws {
        let server = try Server()
        let repo = server.repo
        // Folder 0700, files 0600, all the service account's; the configuration names the repository.
        for (path, mode) in [
            (repo, 0o700), (repo + "/ducha.json", 0o600), (repo + "/journal.jsonl", 0o600), (repo + "/lock", 0o600),
        ] {
            let a = try FileManager.default.attributesOfItem(atPath: path)
            #expect(a[.ownerAccountName] as? String == "ducha", "\(path)")
            #expect(
                (a[.posixPermissions] as? Int ?? 0) & 0o7777 == mode,
                "\(path)：\(String(a[.posixPermissions] as? Int ?? 0, radix: 8))")
        }
        let config = try String(contentsOfFile: server.dir.sub("prefix") + "/etc/ducha.conf", encoding: .utf8)
        #expect(config.contains("repo=\(repo)\n"))
        // Only root sets it up, once, for an existing account, in a folder no one else can write.
        for (user, args, message) in [
            (SystemServerTests.supervisor, ["init", "--system", "--supervisor", SystemServerTests.supervisor], "需要管理员权限"),
            (nil, ["init", "--system", "--supervisor", "nosuchlogin", "--repo", repo + "2"], "系统中没有登录名为 nosuchlogin 的账户"),
            (nil, ["init", "--system", "--supervisor", SystemServerTests.supervisor, "--repo", repo], "已有台账，不会覆盖"),
            (
                nil, ["init", "--system", "--supervisor", SystemServerTests.supervisor, "--repo", "/tmp/ducha-\(getpid())"],
                "其他用户不可写"
            ),
        ] {
            let r = try Binary.run(args, runAs: user, binary: server.binary)
            #expect(r.status == 1 && r.stderr.contains(message), "\(args)：\(r.stderr)")
        }
        #expect(try String(contentsOfFile: server.dir.sub("prefix") + "/etc/ducha.conf", encoding: .utf8) == config)
        try server.populate()
        #expect(try server.bytes("journal.jsonl").count > 0, "记录写进了系统台账")

        let unit = SystemServerTests.finance
        // The unit works through ducha: it sees its own item only, and signs it.
        let list = try server.ducha(unit, ["list"])
        #expect(list.status == 0 && list.stdout.contains("财政资金直达基层") && !list.stdout.contains("工业园区用电报装提速"), "\(list.stderr)")
        #expect(try server.ducha(unit, ["sign", "1"]).status == 0)
        let log = try server.ducha(SystemServerTests.supervisor, ["log", "1"])
        #expect(log.stdout.contains("县财政局  签收"))

        // With its own shell it reaches nothing in the repository.
        let journal = try server.bytes("journal.jsonl")
        let snapshot = try server.bytes("ducha.json")
        for command in [
            "cat '\(repo)/ducha.json'", "cat '\(repo)/journal.jsonl'", "ls '\(repo)'", "test -r '\(repo)/ducha.json'",
            "echo '{}' >> '\(repo)/journal.jsonl'", "cp /etc/hostname '\(repo)/ducha.json'", "rm -f '\(repo)/lock'",
            "mkdir '\(repo)/calendar'", "ln -s /tmp '\(repo)/x'",
        ] {
            #expect(server.shell(unit, command) != 0, "承办单位用自己的 shell 执行 \(command) 应失败")
            #expect(server.shell(SystemServerTests.supervisor, command) != 0, "督查室的账户同样不能直接读写：\(command)")
        }

        // It cannot act as anyone else: not by naming them, not through the environment.
        let asOther = try server.ducha(unit, ["sign", "2"])
        #expect(asOther.status == 1 && asOther.stderr.contains("不由本单位承办"), "\(asOther.stderr)")
        let disguised = try server.ducha(
            unit, ["user", "list"], environment: ["USER": SystemServerTests.supervisor, "LOGNAME": SystemServerTests.supervisor])
        #expect(disguised.status == 1 && disguised.stderr.contains("县财政局 无权查看名册"), "\(disguised.stderr)")
        for args in [
            ["add", "--title", "自立事项", "--lead", "县财政局", "--deadline", server.deadline],
            ["user", "add", unit, "--role", "supervisor"], ["unit", "add", "县水利局"], ["check", "--repair"],
        ] {
            let r = try server.ducha(unit, args)
            #expect(r.status == 1, "承办单位执行 \(args) 应被拒绝")
        }
        // Its records carry the server's date whatever --today or $DUCHA_TODAY says.
        for (args, env) in [
            (["--today", "2026-01-05", "feedback", "1", "倒签的进展"], [String: String]()),
            (["feedback", "1", "倒签的进展"], ["DUCHA_TODAY": "1900-01-01"]),
        ] {
            let r = try server.ducha(unit, args, environment: env)
            #expect(r.status == 1 && r.stderr.contains("记录的时间以服务器时钟为准"), "\(args)：\(r.stderr)")
        }
        #expect(try server.ducha(unit, ["--today", "2026-01-05", "list"]).status == 0, "查看可以按设定的日期")
        let outsider = try server.ducha(SystemServerTests.stranger, ["list"])
        #expect(outsider.status == 1 && outsider.stderr.contains("不在本台账的名册中"), "\(outsider.stderr)")
        #expect(try server.bytes("journal.jsonl") == journal, "以上尝试都没有写入任何内容")
        #expect(try server.bytes("ducha.json") == snapshot)

        // A login without an OS account is refused; the roster binds each user to a uid.
        let nobody = try server.ducha(SystemServerTests.supervisor, ["user", "add", "nosuchlogin", "--role", "leader"])
        #expect(nobody.status == 1 && nobody.stderr.contains("系统中没有登录名为 nosuchlogin 的账户"), "\(nobody.stderr)")
        let uid = OSAccounts.uid(unit)
        #expect(String(decoding: snapshot + journal, as: UTF8.self).contains("\"login\":\"\(unit)\",\"role\":\"unit\""))
        #expect(
            String(decoding: try server.bytes("ducha.json") + server.bytes("journal.jsonl"), as: UTF8.self).contains(
                "\"uid\":\(uid)"))
        let check = try server.ducha(SystemServerTests.supervisor, ["check"])
        #expect(check.status == 0 && check.stdout.contains("检查通过"), "\(check.stdout)\(check.stderr)")
        // A record made now is dated today by the server's clock.
        #expect(try server.ducha(unit, ["feedback", "1", "今天的进展"]).status == 0)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let last = String(decoding: try server.bytes("journal.jsonl"), as: UTF8.self).split(separator: "\n").last ?? ""
        #expect(last.contains("\"at\":\"\(formatter.string(from: Date()))T") && last.contains("今天的进展"), "\(last)")
    }

    @Test func duchaDoesNothingOutsideTheRepositoryWithTheServiceAccountsRights() throws {
        let server = try Server()
        try server.populate()
        let repo = server.repo
        let unit = SystemServerTests.finance
        let journal = try server.bytes("journal.jsonl")
        let snapshot = try server.bytes("ducha.json")

        // An export into the repository is refused before anything is written (and would be
        // written with the user's rights anyway).
        for (user, args) in [
            (unit, ["export", "ledger", "--output", repo + "/journal.jsonl"]),
            (SystemServerTests.supervisor, ["export", "overdue", "--output", repo + "/ducha.json"]),
        ] {
            let r = try server.ducha(user, args)
            #expect(r.status == 1 && r.stderr.contains("不能导出到台账目录"), "\(args)：\(r.stderr)")
        }
        // Office files are made by the helper ducha-papers, run with the user's own rights, and
        // written as the user's.
        for (user, args, name) in [
            (unit, ["export", "ledger", "--format", "xlsx"], "台账.xlsx"),
            (SystemServerTests.supervisor, ["export", "overdue", "--format", "docx"], "通报.docx"),
        ] {
            let path = server.home(user) + "/" + name
            let r = try server.ducha(user, args + ["--output", path])
            var st = stat()
            #expect(r.status == 0 && stat(path, &st) == 0 && st.st_uid == OSAccounts.uid(user), "\(args)：\(r.stderr)")
        }
        // Files ducha reads for the user are read with the user's rights: the repository's
        // snapshot, directly or through a link in the user's own folder, cannot be read.
        let home = server.home(SystemServerTests.supervisor)
        try FileManager.default.createSymbolicLink(atPath: home + "/台账.csv", withDestinationPath: repo + "/ducha.json")
        try FileManager.default.createSymbolicLink(atPath: home + "/2027.json", withDestinationPath: repo + "/ducha.json")
        // (A link is refused as a link before anything is opened; the file itself, for want of rights.)
        for (args, said) in [
            (["import", repo + "/ducha.json"], "没有权限"), (["import", home + "/台账.csv"], "是符号链接"),
            (["import", "--dry-run", repo + "/journal.jsonl"], "没有权限"), (["calendar", "add", home + "/2027.json"], "是符号链接"),
            (["calendar", "add", repo + "/journal.jsonl"], "没有权限"),
        ] {
            let r = try server.ducha(SystemServerTests.supervisor, args)
            #expect(r.status == 1 && r.stderr.contains(said), "\(args)：\(r.stderr)")
            #expect(!r.stderr.contains("青山县委督查室") && !r.stdout.contains("青山县委督查室"), "没有泄露快照内容")
        }
        // The privileged run opens the configured repository only, with the installed data only.
        let elsewhere = server.home(unit) + "/mine"
        for (args, env) in [
            (["--repo", elsewhere, "init"], [:]), (["init"], ["DUCHA_REPO": elsewhere]), (["list"], ["DUCHA_REPO": elsewhere]),
        ] {
            let r = try server.ducha(unit, args, environment: env)
            #expect(r.status == 1 && r.stderr.contains("只能使用系统台账"), "\(args) \(env)：\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: elsewhere), "没有在别处建台账")
        let data = server.home(unit) + "/data"
        OSAccounts.shell(
            "cp -r '\(Fixtures.dataPath)' '\(data)' && rm -f '\(data)'/calendar/*.json && chown -R \(unit) '\(data)'")
        let years = try server.ducha(unit, ["calendar", "show"])
        let ignored = try server.ducha(
            unit, ["calendar", "show"], environment: ["DUCHA_DATA": data, "XDG_DATA_HOME": server.home(unit)])
        #expect(years.status == 0 && years.stdout.contains("2026"))
        #expect(ignored.stdout == years.stdout, "$DUCHA_DATA 被忽略：\(ignored.stdout)")
        // (Unprivileged, the same variable is honoured: the comparison above can fail.)
        let honoured = try Binary.run(["--repo", server.dir.sub("plain"), "calendar", "show"], environment: ["DUCHA_DATA": data])
        #expect(honoured.stdout.contains("已录入节假日安排的年份：无"), "\(honoured.stdout)")
        #expect(try server.bytes("journal.jsonl") == journal)
        #expect(try server.bytes("ducha.json") == snapshot)

        // A repository folder opened to others is pointed out to everyone who uses it.
        chmod(repo, 0o755)
        let opened = try server.ducha(unit, ["list"])
        #expect(opened.stderr.contains("应属于 ducha 系统账户、权限为 700（现为 755）"), "\(opened.stderr)")
        chmod(repo, 0o700)
        #expect(!(try server.ducha(unit, ["list"]).stderr.contains("应属于 ducha 系统账户")))

        // A user without access to a repository is told so, not advised to make a ledger of their own.
        let plain = try Binary.run(
            ["--repo", repo, "list"], runAs: unit, binary: OSAccounts.install(into: server.dir.sub("plain-prefix")))
        #expect(
            plain.status == 1 && plain.stderr.contains("没有权限打开台账目录") && !plain.stderr.contains("ducha init"), "\(plain.stderr)")
    }

    @Test(.enabled(if: Tmux.available, "需要 tmux"))
    func theEditorRunsWithTheUsersRightsOnly() throws {
        let server = try Server()
        try server.populate()
        let unit = SystemServerTests.finance
        #expect(try server.ducha(unit, ["sign", "1"]).status == 0)
        let home = server.home(unit)
        // The unit's "editor" tries to copy the repository, and notes the uids it runs with.
        let editor = home + "/editor.sh"
        try """
        #!/bin/sh
        cp '\(server.repo)/ducha.json' '\(home)/stolen.json'
        cat '\(server.repo)/journal.jsonl' > '\(home)/stolen.jsonl'
        echo x >> '\(server.repo)/journal.jsonl'
        grep '^Uid:' /proc/self/status > '\(home)/uids'
        printf '%s' '，并附整改照片。' >> "$1"

        """.write(toFile: editor, atomically: true, encoding: .utf8)
        OSAccounts.shell("chown \(unit) '\(editor)' && chmod 755 '\(editor)'")
        let journal = try server.bytes("journal.jsonl")
        let t = try Tmux(
            "runuser -u \(unit) -- env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen HOME='\(home)' EDITOR='\(editor)' '\(server.binary)'; sleep 60"
        )
        let dash = try t.waitFor("本单位办理情况").screen
        #expect(dash.contains("\(unit)·县财政局"))
        try t.keys("2")
        try t.waitFor("财政资金直达基层")
        try t.keys("c")
        try t.waitFor("办结报告")
        try t.type("已全部办结")
        try t.keys("C-e")
        try t.waitFor("已全部办结，并附整改照片。")
        try t.keys("Enter")
        try t.waitFor("已申请办结")
        // The editor ran, as the unit and nothing else (real, effective, saved and file uid).
        let uid = OSAccounts.uid(unit)
        let uids = try String(contentsOfFile: home + "/uids", encoding: .utf8)
        #expect(uids == "Uid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)\n", "\(uids)")
        #expect(!FileManager.default.fileExists(atPath: home + "/stolen.json"), "编辑器没能复制快照")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: home + "/stolen.jsonl")))?.isEmpty ?? true, "编辑器没能读到日志")
        let after = try server.bytes("journal.jsonl")
        #expect(after.starts(with: journal) && !String(decoding: after, as: UTF8.self).contains("\nx\n"), "编辑器没能写入日志")
        let log = try server.ducha(SystemServerTests.supervisor, ["log", "1"])
        #expect(log.stdout.contains("申请办结：已全部办结，并附整改照片。"), "\(log.stdout)")
        t.kill()
    }
}
