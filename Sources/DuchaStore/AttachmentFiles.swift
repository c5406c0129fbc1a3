import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// A store that keeps 佐证材料 files beside its records. The files go in before the records that
/// name them are committed, so a record never names a file the store does not hold.
public protocol AttachmentStore: AnyObject {
    /// Keeps `bytes` under their SHA-256 (once: the same file given twice is kept once) and
    /// returns the hash.
    func storeAttachment(_ bytes: [UInt8]) throws(StoreError) -> String
    /// The file kept under `sha256`, checked against it.
    func attachment(_ sha256: String) throws(StoreError) -> [UInt8]
}

/// Reading a file a person gives as evidence, and the repository's folder of kept files.
public enum AttachmentFiles {
    /// Reads the file at `path` for `attach`: called with the user's own rights (`UserRights.perform`),
    /// so a setuid ducha reads nothing the user could not. Never through a symbolic link, never
    /// waiting on a named pipe or a device (refused: only regular files), never larger than
    /// `Evidence.maxSize` (refused before reading).
    public static func read(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = try Posix.open(path, O_RDONLY, what: "读取佐证材料")
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path, "读取佐证材料", errno) }
        try checkSize(Int(st.st_size), path)
        let bytes = try Posix.readAll(fd, path: path)
        try checkSize(bytes.count, path)
        return bytes
    }

    static func checkSize(_ size: Int, _ path: String) throws(StoreError) {
        guard size <= Evidence.maxSize else {
            throw .refused(
                .invalidField(
                    "佐证材料",
                    "文件 \(path.sanitized()) 过大（\(size) 字节），上限为 20 MB（\(Evidence.maxSize) 字节）；请压缩或拆分后上传"))
        }
        guard size > 0 else { throw .refused(.invalidField("佐证材料", "文件 \(path.sanitized()) 是空文件")) }
    }

    /// The SHA-256 of a file's bytes, as the repository names it.
    public static func hash(_ bytes: [UInt8]) -> String { Chain.hash(bytes) }

    /// The folder the repository keeps attachments in.
    static let folderName = "attachments"
}

extension Repository: AttachmentStore {
    /// The folder for files whose hash starts with `prefix` (two hex digits), made 0700 (with the
    /// group's access in a group-shared repository) when `create`; nil when missing otherwise.
    func attachmentFolder(_ sha256: String, create: Bool) throws(StoreError) -> Folder? {
        let top = try folder()
        guard let all = try top.subfolder(AttachmentFiles.folderName, create: create, mode: top.privateFolderMode) else {
            return nil
        }
        return try all.subfolder(String(sha256.prefix(2)), create: create, mode: top.privateFolderMode)
    }

    /// Writes the file to a temporary name created exclusively, fsyncs it, renames it to its hash
    /// and fsyncs the folder. A file already kept under that hash (and still matching it) is not
    /// written again; one that no longer matches is replaced.
    public func storeAttachment(_ bytes: [UInt8]) throws(StoreError) -> String {
        let sha = AttachmentFiles.hash(bytes)
        guard let sub = try attachmentFolder(sha, create: true) else { throw .io(directory, "创建佐证材料目录", ENOENT) }
        let name = sha + ".bin"
        if (try? read(sha, in: sub)) != nil { return sha }
        let temporary = name + ".tmp." + Posix.randomSuffix()
        let fd = try Posix.open(sub.path(temporary), O_WRONLY, exclusive: true, in: sub, what: "写入佐证材料")
        do throws(StoreError) {
            defer { close(fd) }
            try Posix.writeAll(fd, bytes, path: sub.path(temporary))
            try Posix.sync(fd, path: sub.path(temporary))
        } catch {
            sub.remove(temporary)
            throw error
        }
        do throws(StoreError) {
            try sub.rename(temporary, to: name, what: "保存佐证材料")
        } catch {
            sub.remove(temporary)
            throw error
        }
        try sub.sync()
        if let all = try folder().subfolder(AttachmentFiles.folderName, create: false, mode: 0) { try all.sync() }
        try folder().sync()
        return sha
    }

    public func attachment(_ sha256: String) throws(StoreError) -> [UInt8] {
        guard Evidence.isHash(sha256) else { throw .refused(.invalidField("佐证材料", "校验码无效")) }
        guard let sub = try attachmentFolder(sha256, create: false) else {
            throw .io(directory + "/" + Evidence.path(of: sha256), "读取佐证材料", ENOENT)
        }
        return try read(sha256, in: sub)
    }

    /// The kept file, read without following a link and checked against its hash.
    func read(_ sha256: String, in sub: Folder) throws(StoreError) -> [UInt8] {
        let path = sub.path(sha256 + ".bin")
        let fd = try Posix.open(path, O_RDONLY, in: sub, what: "读取佐证材料")
        defer { close(fd) }
        let bytes = try Posix.readAll(fd, path: path, limit: Evidence.maxSize)
        guard AttachmentFiles.hash(bytes) == sha256 else {
            throw .badDataFile(path, "内容与其校验码不符（文件已被改动或损坏）")
        }
        return bytes
    }

    /// What is wrong with the kept files the records name (`ducha check`): each missing, unreadable
    /// or altered file, once per hash, with the item and record that name it.
    func attachmentProblems() -> [String] {
        var seen = Set<String>()
        var problems: [String] = []
        for item in ledger.items {
            for (e, a) in item.attachments where seen.insert(a.sha256).inserted {
                let place = "\(item.number) 第 \(e.seq) 条记录的佐证材料“\(a.name)”"
                do throws(StoreError) {
                    let bytes = try attachment(a.sha256)
                    if bytes.count != a.size { problems.append("\(place)大小与记录不符（记录 \(a.size) 字节，文件 \(bytes.count) 字节）") }
                } catch {
                    switch error {
                    case .io(_, _, let code) where code == ENOENT:
                        problems.append("\(place)的文件 \(directory)/\(a.path) 缺失")
                    case .badDataFile(let p, _):
                        problems.append("\(place)的文件 \(p) 内容与校验码不符（已被改动或损坏）")
                    default:
                        problems.append("\(place)无法读取：\(error.message)")
                    }
                }
            }
        }
        return problems
    }
}
