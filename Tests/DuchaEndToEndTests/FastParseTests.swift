import DuchaTestSupport
import Testing

/// The hot commands are parsed from a static table rather than by ArgumentParser (process
/// start). `ducha __parse args 参数…` parses one argument list both ways and prints each result
/// (the command with every property, or the exit status and text); the table must either
/// decline or produce exactly what ArgumentParser produces.
@Suite struct FastParseTests {
    struct Parsed {
        var fast: String?
        var full: String
    }

    func parse(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Parsed {
        let r = try Binary.run(["__parse", "args"] + arguments)
        #expect(r.status == 0, "\(arguments)：\(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(arguments)：\(r.stdout)", sourceLocation: sourceLocation)
        guard lines.count == 2, lines[0].hasPrefix("fast: "), lines[1].hasPrefix("full: ") else {
            return Parsed(fast: nil, full: "")
        }
        let fast = String(lines[0].dropFirst(6))
        return Parsed(fast: fast == "-" ? nil : fast, full: String(lines[1].dropFirst(6)))
    }

    /// Argument lists the table takes: the result must be ArgumentParser's, property for property.
    static let taken: [[String]] = [
        ["--version"],
        [],
        ["--summary"],
        ["--repo", "/srv/台账", "--today", "2026-03-02", "--summary"],
        ["--repo=/srv/台账", "--today=2026-03-02"],
        ["add", "--title", "基准测试新增事项", "--lead", "县发改局", "--deadline", "+15"],
        ["--repo", "/r", "--today", "2026-03-02", "add", "--title", "修路", "--lead", "县交通局"],
        ["add", "--lead=县交通局", "--title=修路", "--repo=/r"],
        [
            "add", "--title", "全部选项", "--lead", "县发改局", "--deadline", "2026-04-30", "--co", "县财政局", "--co", "县自然资源局",
            "--source", "会议议定", "--leader", "王县长", "--urgency", "急", "--instruction", "抓紧办理", "--assigned", "2026-03-02",
            "--owner", "张三", "--contact", "李四", "--phone", "0591-1234567", "--cycle", "每周五", "--basis", "县政府第12次常务会议",
            "--basis-number", "〔2026〕12号", "--basis-date", "2026-02-27", "--today", "2026-03-02",
        ],
        // 分别办理 (several --lead) and 任务分解 (--parent).
        ["add", "--title", "分别办理", "--lead", "县发改局", "--lead", "县财政局", "--deadline", "年底前"],
        ["add", "--title", "一季度节点", "--parent", "3", "--lead", "县发改局", "--deadline", "2026-03-31"],
        // Words that are also command names, as values.
        ["add", "--title", "list", "--lead", "add"],
        ["--repo", "add", "add", "--title", "t", "--lead", "l"],
        ["feedback", "3", "已完成阶段性工作"],
        ["feedback", "督〔2026〕第0003号", "进展", "--for", "县发改局", "--on", "2026-03-01"],
        ["--today", "2026-03-02", "feedback", "2026-3", "add", "--attach", "a.pdf", "--attach", "b.jpg"],
        ["feedback", "3", ""],
        ["list"],
        ["list", "--open"],
        ["--repo", "/r", "list", "--overdue", "--unit", "县发改局", "--format", "json"],
        [
            "list", "--due-soon", "--source", "领导批示", "--state", "办理中", "--search", "道路", "--basis", "常务会议", "--mark", "反馈逾期",
            "--sort", "时限",
        ],
        ["list", "--closed", "--format=table"],
        ["export", "overdue"],
        ["--repo", "/r", "--today", "2026-03-02", "export", "overdue"],
        ["export", "overdue", "--width", "120", "--due-soon", "--issue", "--force", "--output", "通报.txt", "--format", "csv"],
        ["export", "overdue", "--width=+90"],
    ]

    /// Argument lists left to ArgumentParser (help, errors, anything unusual).
    static let declined: [[String]] = [
        ["--help"], ["-h"], ["help", "add"], ["add", "--help"], ["add", "-h"], ["list", "--help"],
        ["export", "overdue", "--help"],
        ["--version", "list"], ["add", "--version"],
        ["add", "--title", "只有名称"], ["add", "--title", "a", "--title", "b", "--lead", "l"],
        ["add", "--title", "-x", "--lead", "l"],
        ["add", "--title=", "--lead", "l"], ["add", "--title", "t", "--lead", "l", "--nonsense", "x"],
        ["add", "--title", "t", "--lead"],
        ["add", "--title", "t", "--lead", "l", "多余"],
        ["feedback", "3"], ["feedback", "3", "a", "b"], ["feedback", "3", "-"], ["feedback", "3", "--", "-x"],
        ["feedback", "3", "x", "--for", "a", "--for", "b"],
        ["list", "--open", "--closed"], ["list", "--open=yes"], ["list", "--open", "--open"], ["list", "-o"],
        ["export"], ["export", "overdue", "--width", "宽"], ["export", "overdue", "--width", "-5"],
        ["export", "progress", "--basis", "x"], ["sign", "3"], ["--title", "x", "add", "--lead", "l"],
        ["--summary", "--summary"],
        ["list", "--repo", "a", "--repo", "b"], ["--repo", "a", "list", "--repo", "b"],
    ]

    @Test func takenListsParseAsArgumentParserDoes() throws {
        for args in Self.taken {
            let p = try parse(args)
            #expect(p.fast != nil, "快速解析应接受 \(args)（ArgumentParser：\(p.full.prefix(200))）")
            #expect(p.fast == p.full, "\(args) 两种解析结果不同：\n快速：\(p.fast ?? "-")\n完整：\(p.full)")
        }
    }

    @Test func unusualListsAreLeftToArgumentParser() throws {
        for args in Self.declined {
            let p = try parse(args)
            #expect(p.fast == nil, "快速解析不应接受 \(args)：\(p.fast ?? "")")
        }
        // And ArgumentParser answers them as before: help in Chinese, errors in Chinese.
        let help = try Binary.run(["add", "--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("说明："))
        let missing = try Binary.run(["add", "--title", "只有名称"])
        #expect(missing.status == 1 && missing.stderr.contains("错误：缺少选项 --lead：请写明牵头单位"), "\(missing.stderr)")
        let both = try Binary.run(["list", "--open", "--closed"])
        #expect(both.status == 1 && both.stderr.contains("只能选一个"), "\(both.stderr)")
    }

    /// The table lists every option the definitions give each of its commands, with the same
    /// kind, and nothing else.
    @Test func tableAgreesWithTheDefinitions() throws {
        let r = try Binary.run(["__parse"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty, "快速解析表与命令定义不一致：\n\(r.stdout)")
    }
}
