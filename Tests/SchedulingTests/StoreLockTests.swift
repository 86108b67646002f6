import Foundation
import Storage
import StoreTestSupport
import Testing

@Suite("One writer per store: the advisory lock beside it")
struct StoreLockTests {
    @Test("a second holder is refused with the first one's pid, command and start time; release frees it")
    func secondHolderRefused() throws {
        let folder = try ScratchDirectory()
        let store = folder.path("s.sqlite")
        let first = try StoreLock.acquire(storePath: store, command: "divergence ingest --every 15m")
        #expect(first.path == store + ".lock")
        #expect(StoreLock.currentHolder(storePath: store) == first.holder)
        #expect(first.holder.pid == getpid())

        #expect {
            try StoreLock.acquire(storePath: store, command: "divergence ingest")
        } throws: { error in
            guard case StoreLockError.held(let lockedStore, let holder, _) = error else { return false }
            let line = "\(error)"
            return lockedStore == store && holder == first.holder && line.contains("pid \(getpid())")
                && line.contains("(divergence ingest --every 15m)") && !line.contains("\n")
        }

        first.release()
        first.release()
        #expect(StoreLock.currentHolder(storePath: store) == nil, "a released lock names no holder")
        let second = try StoreLock.acquire(storePath: store, command: "divergence prune")
        #expect(StoreLock.currentHolder(storePath: store)?.command == "divergence prune")
        second.release()
    }

    @Test("a waiting acquirer gets the lock as soon as it is released, and gives up after its wait")
    func waitingAcquirer() throws {
        let folder = try ScratchDirectory()
        let store = folder.path("s.sqlite")
        let holder = try StoreLock.acquire(storePath: store, command: "holder")

        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: StoreLockError.self) { try StoreLock.acquire(storePath: store, command: "waiter", wait: 0.5) }
        let waited = start.duration(to: clock.now)
        // It gives up: the holder never lets go in this part, so a waiter ignoring its 0.5 s would block for good; the
        // upper bound only has to tell "gave up" from "never", with room for a machine busy with other work.
        #expect(waited >= .milliseconds(450) && waited < .seconds(20), "\(waited)")

        // A plain thread: the acquirer blocks its own thread while it waits.
        Thread.detachNewThread {
            usleep(300_000)
            holder.release()
        }
        let got = try StoreLock.acquire(storePath: store, command: "waiter", wait: 10)
        #expect(got.holder.command == "waiter")
    }

    @Test("holder text round-trips through the lock file format")
    func holderFormat() throws {
        let folder = try ScratchDirectory()
        let store = folder.path("deep/er/s.sqlite")
        let lock = try StoreLock.acquire(storePath: store, command: "divergence serve --ingest-every 15m")
        let text = String(decoding: FileManager.default.contents(atPath: lock.path) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("pid=\(getpid())\nsince=") && text.hasSuffix("command=divergence serve --ingest-every 15m\n"))
        #expect(abs(lock.holder.since.timeIntervalSinceNow) < 5)
    }
}
