import ArgumentParser
import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

extension CLI {
    /// The whole program, for `ducha` and `ducha-pg` alike: who runs it, the arguments checked,
    /// the command run; exits with its status.
    public static func start() -> Never {
        // Who runs ducha, recorded before anything can change it; in a setuid run, the variables the
        // libraries would take instructions from are cleared.
        UserRights.start()
        SystemInstall.clearEnvironment()

        // Arguments that are not valid UTF-8 would be silently repaired by Swift; refuse them instead.
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i], String(validatingCString: p) != nil else {
                Output.note("错误：第 \(i) 个命令行参数不是有效的 UTF-8 文本")
                exit(1)
            }
        }

        exit(CLI.main(Array(CommandLine.arguments.dropFirst())))
    }
}
