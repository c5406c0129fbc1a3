import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// The hash chain's SHA-256 (DuchaStore's own) against the standard's examples and against
/// coreutils' sha256sum on inputs of every length around the block boundaries.
@Suite struct SHA256Tests {
    @Test func theStandardsExamples() {
        #expect(Chain.hash([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Chain.hash(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Chain.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Chain.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func agreesWithSha256sumOnEveryLengthAroundTheBlocks() throws {
        let dir = TemporaryDirectory("ducha-sha")
        var generator = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = []
        for n in Array(0...200) + [511, 512, 513, 4095, 4096, 65_537] {
            inputs.append((0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        var script = ""
        for (i, bytes) in inputs.enumerated() {
            try Data(bytes).write(to: URL(fileURLWithPath: dir.sub("\(i).bin")))
            script += "sha256sum '\(dir.sub("\(i).bin"))' | cut -c1-64 >> '\(dir.sub("sums"))'\n"
        }
        try script.write(toFile: dir.sub("run.sh"), atomically: true, encoding: .utf8)
        #expect(OSAccounts.shell("sh '\(dir.sub("run.sh"))'") == 0)
        let sums = try String(contentsOfFile: dir.sub("sums"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(sums.count == inputs.count)
        for (i, bytes) in inputs.enumerated() where i < sums.count {
            #expect(Chain.hash(bytes) == sums[i], "长度 \(bytes.count)")
        }
    }
}
