import ArgumentParser
import DuchaCore

/// The command line's definitions as data: every command, its options and arguments, taken
/// from ArgumentParser's own description of `Ducha` (the same definitions `--help` is made
/// from). The manual page and shell completion are generated from it, so a new command or
/// option appears in both without being listed anywhere else.
struct CommandNode {
    struct Argument {
        enum Kind: String { case positional, option, flag }
        var kind: Kind
        /// "--repo", "-h"; empty for a positional argument.
        var names: [String]
        var valueName: String
        var abstract: String
        var discussion: String
        var isOptional: Bool
        var isRepeating: Bool
        var defaultValue: String?
        var shown: Bool

        /// "--title <名称>", "<编号>", "--summary".
        var synopsis: String {
            switch kind {
            case .positional: return "<\(valueName)>" + (isRepeating ? " …" : "")
            case .option: return "\(names.first ?? "") <\(valueName)>"
            case .flag: return names.first ?? ""
            }
        }
    }

    var name: String
    var abstract: String
    var discussion: String
    var shown: Bool
    var defaultSubcommand: String?
    var subcommands: [CommandNode]
    var arguments: [Argument]
    /// "ducha unit add".
    var path: [String] = []

    var fullName: String { path.joined(separator: " ") }

    /// The whole tree, with `path` filled in.
    static func root() throws -> CommandNode {
        let json = Ducha._dumpHelp()
        var node = try JSONReader.read(Array(json.utf8)) { (r: inout JSONReader) throws(JSONError) -> CommandNode in
            var found: CommandNode?
            try r.beginObject()
            while let key = try r.nextKey() {
                if key == "command" { found = try readCommand(&r) } else { try r.skipValue() }
            }
            guard let found else { throw r.error("缺少 command") }
            return found
        }
        node.setPaths([])
        return node
    }

    private mutating func setPaths(_ parent: [String]) {
        path = parent + [name]
        for i in subcommands.indices { subcommands[i].setPaths(path) }
    }

    /// Every command below (and including) this one, depth first.
    var all: [CommandNode] { [self] + subcommands.flatMap(\.all) }

    func subcommand(_ name: String) -> CommandNode? { subcommands.first { $0.name == name } }

    /// The argument named `name` ("--unit", "-h"), or one given as "--unit=…".
    func argument(named name: String) -> Argument? {
        let key = name.split(separator: "=", maxSplits: 1).first.map(String.init) ?? name
        return arguments.first { $0.kind != .positional && $0.names.contains(key) }
    }

    var positionals: [Argument] { arguments.filter { $0.kind == .positional } }

    private static func readCommand(_ r: inout JSONReader) throws(JSONError) -> CommandNode {
        var node = CommandNode(
            name: "", abstract: "", discussion: "", shown: true, defaultSubcommand: nil, subcommands: [], arguments: [])
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "commandName": node.name = try r.readString()
            case "abstract": node.abstract = Chinese.argumentText(try r.readString())
            case "discussion": node.discussion = try r.readString()
            case "shouldDisplay": node.shown = try r.readBool()
            case "defaultSubcommand": node.defaultSubcommand = try r.readString()
            case "subcommands":
                try r.beginArray()
                while try r.nextElement() { node.subcommands.append(try readCommand(&r)) }
            case "arguments":
                try r.beginArray()
                while try r.nextElement() { node.arguments.append(try readArgument(&r)) }
            default: try r.skipValue()
            }
        }
        return node
    }

    private static func readArgument(_ r: inout JSONReader) throws(JSONError) -> Argument {
        var a = Argument(
            kind: .flag, names: [], valueName: "", abstract: "", discussion: "", isOptional: true, isRepeating: false,
            defaultValue: nil, shown: true)
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "kind": a.kind = Argument.Kind(rawValue: try r.readString()) ?? .flag
            case "names":
                try r.beginArray()
                while try r.nextElement() {
                    var kind = "long"
                    var name = ""
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "kind": kind = try r.readString()
                        case "name": name = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    a.names.append((kind == "short" || kind == "longWithSingleDash" ? "-" : "--") + name)
                }
            case "valueName": a.valueName = Chinese.valueName(try r.readString())
            case "abstract": a.abstract = Chinese.argumentText(try r.readString())
            case "discussion":
                // A string, or an object listing enumerated values.
                if r.peekKind() == .string { a.discussion = try r.readString() } else { try r.skipValue() }
            case "isOptional": a.isOptional = try r.readBool()
            case "isRepeating": a.isRepeating = try r.readBool()
            case "defaultValue": a.defaultValue = try r.readString()
            case "shouldDisplay": a.shown = try r.readBool()
            default: try r.skipValue()
            }
        }
        // Long names first: "--help" before "-h".
        a.names.sort { ($0.hasPrefix("--") ? 0 : 1, $0) < ($1.hasPrefix("--") ? 0 : 1, $1) }
        return a
    }
}
