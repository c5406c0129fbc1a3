import CSched
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Work cut into contiguous runs, one per core, the runs' results kept in order. Long reports
/// and searches use it; short ones stay on one thread, where starting others costs more than
/// it saves.
public enum Parallel {
    /// The cores used: those online, at most 8.
    public static let cores = max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `body` over `0..<count` in one run per core when `count` reaches `minimum`, else in one
    /// run; the results in the order of the runs.
    public static func runs<T>(_ count: Int, minimum: Int, _ body: (Range<Int>) -> T) -> [T] {
        let k = count < minimum ? 1 : max(1, min(cores, count))
        return runs(bounds: (0...k).map { count * $0 / k }, body)
    }

    /// `body` over `0..<weights.count` in runs of about equal total weight, one per core when
    /// the total reaches `minimum`: groups of rows of different lengths, split evenly.
    public static func runs<T>(weights: [Int], minimum: Int, _ body: (Range<Int>) -> T) -> [T] {
        let total = weights.reduce(0, +)
        guard total >= minimum, cores > 1, weights.count > 1 else { return [body(0..<weights.count)] }
        var bounds = [0]
        var sum = 0
        for (i, w) in weights.enumerated() {
            sum += w
            // A run ends once it holds its share of the total.
            if bounds.count < cores, sum * cores >= total * bounds.count, i + 1 < weights.count { bounds.append(i + 1) }
        }
        bounds.append(weights.count)
        return runs(bounds: bounds, body)
    }

    /// `body` over `bounds[k]..<bounds[k + 1]` for every k, at once.
    static func runs<T>(bounds: [Int], _ body: (Range<Int>) -> T) -> [T] {
        let n = bounds.count - 1
        if n <= 1 { return [body(bounds[0]..<bounds[n])] }
        var results = [T?](repeating: nil, count: n)
        withoutActuallyEscaping(body) { body in
            results.withUnsafeMutableBufferPointer { buffer in
                // Each run writes only its own slot, and `perform` returns when all are done.
                nonisolated(unsafe) let out = buffer
                nonisolated(unsafe) let work = body
                perform(n) { k in out[k] = work(bounds[k]..<bounds[k + 1]) }
            }
        }
        return results.map { $0! }
    }

    /// `body(0)`, …, `body(n - 1)`, at once: `body(0)` on the calling thread, each other on a
    /// thread started for it, and returns when all are done. A thread of its own rather than
    /// Dispatch's pool: in a command that lives a few milliseconds the pool's first worker
    /// started too late to take its share, and the calling thread did every run itself. Runs
    /// asked for inside runs (a table inside a notice's sections) stay on their thread once
    /// every core has one.
    public static func perform(_ n: Int, _ body: (Int) -> Void) {
        guard n > 1 else {
            if n == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            var started: [pthread_t] = []
            var attributes = Parallel.elsewhere()
            defer { pthread_attr_destroy(&attributes) }
            for k in 1..<n {
                let job = Unmanaged.passRetained(Job { work(k) })
                var thread = pthread_t()
                if Parallel.spare.add(-1, ordering: .relaxed).newValue >= 0,
                    pthread_create(&thread, &attributes, Parallel.start, job.toOpaque()) == 0
                {
                    started.append(thread)
                } else {
                    _ = Parallel.spare.add(1, ordering: .relaxed)
                    job.takeRetainedValue().run()
                }
            }
            work(0)
            for thread in started {
                pthread_join(thread, nil)
                _ = Parallel.spare.add(1, ordering: .relaxed)
            }
        }
    }

    /// Threads started on the other cores than the calling thread's. Left to the scheduler, a
    /// new thread woke on the caller's core and ran there first, and the caller — with its own
    /// run still to do — waited about a millisecond for the scheduler to move one of them: as
    /// long as the whole run of a short command's work.
    static func elsewhere() -> pthread_attr_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        _ = ducha_start_elsewhere(&attributes)
        return attributes
    }

    /// How many more threads may be started: one per core beside the calling thread.
    static let spare = Atomic<Int>(cores - 1)

    final class Job: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static let start: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
        Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }
}
