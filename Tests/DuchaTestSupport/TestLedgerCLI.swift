import Foundation
import Testing

/// The `ducha` command on a ledger of a test's own (under a temporary folder), run on a fixed
/// day: `ok` expects success, `refused` a refusal (exit status 1) that writes nothing.
/// The ledger is a folder, or with DUCHA_TEST_BACKEND=postgresql a database (`TestBackend`).
public struct TestLedgerCLI: Sendable {
    public let dir: TemporaryDirectory
    /// The day commands run on unless one is given.
    public let today: String
    public let repo: String

    public init(_ name: String, today: String) {
        dir = TemporaryDirectory(name)
        self.today = today
        repo = TestBackend.repository(dir)
    }

    /// A fresh test-clock ledger of 青山县委督查室 with these units.
    public func create(units: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let created = try ducha(["init", "--test-clock", "--office", "青山县委督查室"] + TestBackend.createOptions)
        #expect(created.status == 0, "init → \(created.status)：\(created.stderr)", sourceLocation: sourceLocation)
        for u in units { _ = try ok("unit", "add", u, sourceLocation: sourceLocation) }
    }

    @discardableResult
    public func ducha(_ args: [String], today: String? = nil) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today ?? self.today] + args)
    }

    public func ok(_ args: String..., today: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try ducha(args, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    public func refused(
        _ args: String..., today: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let before = try TestBackend.written(repo)
        let r = try ducha(args, today: today)
        #expect(r.status == 1, "\(args) 应被拒绝：\(r.stdout)", sourceLocation: sourceLocation)
        let after = try TestBackend.written(repo)
        #expect(after == before, "\(args) 被拒绝时不应写入", sourceLocation: sourceLocation)
        return r.stderr
    }
}
