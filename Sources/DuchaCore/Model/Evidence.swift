/// A file given as evidence (佐证材料) of an item's handling: the repository keeps the file under
/// its SHA-256 (`attachments/ab/abcdef….bin`), the record keeps the hash, so the hash chain
/// covers the evidence as well as the words.
public struct Evidence: Sendable, Equatable {
    /// The file's SHA-256, 64 lowercase hexadecimal digits: its name in the repository.
    public var sha256: String
    /// Its original name, without any folder, control or bidi characters (`cleanName`).
    public var name: String
    /// Its size in bytes.
    public var size: Int
    public var type: EvidenceType
    /// What the person said about it (说明), possibly empty.
    public var note: String

    public init(sha256: String, name: String, size: Int, type: EvidenceType, note: String = "") {
        self.sha256 = sha256
        self.name = name
        self.size = size
        self.type = type
        self.note = note
    }

    /// The largest file accepted: 20 MiB.
    public static let maxSize = 20 << 20
    /// The longest name kept, in characters.
    public static let nameLimit = 100

    /// The name a file is kept under: the last part of the path typed (after / or \), with
    /// control characters and the characters `Deceptive` names removed, at most `nameLimit`
    /// characters (the extension kept); 未命名文件 when nothing is left.
    public static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for s in last.unicodeScalars {
            if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || Deceptive.kind(s.value) != nil { continue }
            if s.properties.generalCategory == .format || s.properties.generalCategory == .unassigned { continue }
            scalars.append(s)
        }
        var name = String(scalars).trimmingSpaces
        if name.count > nameLimit {
            let ext = extensionOf(name).map { "." + $0 } ?? ""
            name = String(name.prefix(nameLimit - ext.count)) + ext
        }
        return name.isEmpty || name == "." || name == ".." ? "未命名文件" : name
    }

    /// The extension of a name, lowercased (nil when it has none).
    static func extensionOf(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        guard !ext.isEmpty, ext.count <= 8 else { return nil }
        return ext.lowercased()
    }

    /// Whether `s` is a SHA-256 as the repository names files: 64 lowercase hexadecimal digits.
    public static func isHash(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The file's place inside the repository folder: attachments/ab/abcdef….bin.
    public var path: String { Evidence.path(of: sha256) }

    public static func path(of sha256: String) -> String { "attachments/\(sha256.prefix(2))/\(sha256).bin" }

    /// 1.2 MB, 35 KB, 512 字节.
    public static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) 字节" }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// 方案.pdf（PDF，1.2 MB）
    public var summary: String { "\(name)（\(type.label)，\(Evidence.sizeText(size))）" }
}

/// What kind of file evidence is, judged by its first bytes and its name: the office looks for
/// scanned documents, Office files and photos.
public enum EvidenceType: String, Sendable, CaseIterable, Labelled {
    case pdf, word, excel, powerpoint, jpeg, png, ofd, text, file

    public var label: String {
        switch self {
        case .pdf: "PDF"
        case .word: "Word 文档"
        case .excel: "Excel 表格"
        case .powerpoint: "PowerPoint 演示文稿"
        case .jpeg: "JPEG 图片"
        case .png: "PNG 图片"
        case .ofd: "OFD 版式文件"
        case .text: "文本"
        case .file: "文件"
        }
    }

    /// The type of a file named `name` whose contents start with `head`: a signature that says
    /// the kind alone (PDF, JPEG, PNG) decides; an Office container (ZIP for .docx/.xlsx/.pptx/.ofd,
    /// OLE for .doc/.xls/.ppt) takes the kind its extension names; plain .txt text is 文本;
    /// anything else is 文件, whatever its name claims.
    public static func detect(name: String, head: some Collection<UInt8>) -> EvidenceType {
        let b = Array(head.prefix(8))
        func starts(_ sig: [UInt8]) -> Bool { b.count >= sig.count && Array(b.prefix(sig.count)) == sig }
        if starts([0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }  // %PDF-
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        let ext = Evidence.extensionOf(name)
        if starts([0x50, 0x4B, 0x03, 0x04]) {  // ZIP
            switch ext {
            case "docx": return .word
            case "xlsx": return .excel
            case "pptx": return .powerpoint
            case "ofd": return .ofd
            default: return .file
            }
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {  // OLE (Office 97–2003)
            switch ext {
            case "doc": return .word
            case "xls": return .excel
            case "ppt": return .powerpoint
            default: return .file
            }
        }
        if ext == "txt", !head.contains(0) { return .text }
        return .file
    }
}

extension Item {
    /// The item's 佐证材料 in the order they were given (numbered from 1 in `show` and
    /// `attachment get`), each with the entry that recorded it, less those withdrawn by an undo
    /// (their records stay in the history). Read from the history.
    public var attachments: [(entry: Entry, attachment: Evidence)] {
        var undone = Set<Int>()
        for e in history { if case .undo(let u)? = e.itemAction, u.code == "attach" { undone.insert(u.seq) } }
        return history.compactMap { e in
            if case .attach(let a)? = e.itemAction, !undone.contains(e.seq) { return (e, a) }
            return nil
        }
    }
}
