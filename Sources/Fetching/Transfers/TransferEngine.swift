import CCurl
import Foundation
import Synchronization

/// libcurl's process-wide setup, run exactly once before the first handle is created.
enum CurlRuntime {
    static let initialized: Bool = divergence_curl_global_init() == CURLE_OK
}

/// Drives every transfer of one `HTTPFetcher` from a single dedicated thread through a curl multi handle,
/// so no Swift cooperative-pool thread ever blocks on the network.
///
/// Admission: at most `globalLimit` transfers run at once and at most `perHostLimit` per host; the rest wait
/// in arrival order.
final class TransferEngine: @unchecked Sendable {
    private struct Inbox {
        var submitted: [Transfer] = []
        var shuttingDown = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let globalLimit: Int
    private let perHostLimit: Int

    private var pending: [Transfer] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var activeByHost: [String: Int] = [:]

    init(globalLimit: Int, perHostLimit: Int) {
        precondition(CurlRuntime.initialized, "curl_global_init failed")
        guard let multi = curl_multi_init() else { preconditionFailure("curl_multi_init failed") }
        self.multi = multi
        self.globalLimit = max(1, globalLimit)
        self.perHostLimit = max(1, perHostLimit)
        let thread = Thread { [self] in run() }
        thread.name = "divergence.fetching.curl"
        thread.start()
    }

    /// Queues a transfer whose continuation is already set.
    func submit(_ transfer: Transfer) {
        inbox.withLock { $0.submitted.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Wakes the driver so it notices cancellations.
    func wake() {
        curl_multi_wakeup(multi)
    }

    /// Fails everything still queued or running with `cancelled` and ends the driver thread.
    func shutdown() {
        inbox.withLock { $0.shuttingDown = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (arrived, stopping) = inbox.withLock { box in
                let taken = box.submitted
                box.submitted.removeAll()
                return (taken, box.shuttingDown)
            }
            pending.append(contentsOf: arrived)
            if stopping {
                for transfer in pending { transfer.cancel(); finish(transfer, .failure(.cancelled(url: transfer.request.url))) }
                for transfer in Array(active.values) { transfer.cancel(); complete(transfer, code: CURLE_ABORTED_BY_CALLBACK) }
                pending.removeAll()
                break
            }
            reapCancelled()
            admit()
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            if drainCompleted() > 0 { continue }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        curl_multi_cleanup(multi)
    }

    private func reapCancelled() {
        if pending.contains(where: \.isCancelled) {
            for transfer in pending where transfer.isCancelled {
                finish(transfer, .failure(.cancelled(url: transfer.request.url)))
            }
            pending.removeAll(where: \.isCancelled)
        }
        for transfer in active.values where transfer.isCancelled {
            complete(transfer, code: CURLE_ABORTED_BY_CALLBACK)
        }
    }

    private func admit() {
        var index = 0
        while active.count < globalLimit && index < pending.count {
            let transfer = pending[index]
            guard activeByHost[transfer.target.hostKey, default: 0] < perHostLimit else {
                index += 1
                continue
            }
            pending.remove(at: index)
            if let failure = transfer.open() {
                finish(transfer, .failure(failure))
                continue
            }
            guard let easy = transfer.easy, curl_multi_add_handle(multi, easy) == CURLM_OK else {
                finish(transfer, .failure(.transport(url: transfer.request.url, code: -1, message: "curl_multi_add_handle failed")))
                continue
            }
            active[easy] = transfer
            activeByHost[transfer.target.hostKey, default: 0] += 1
        }
    }

    private func drainCompleted() -> Int {
        var completed = 0
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = active[easy]
            else { continue }
            complete(transfer, code: message.pointee.data.result)
            completed += 1
        }
        return completed
    }

    private func complete(_ transfer: Transfer, code: CURLcode) {
        guard let easy = transfer.easy else { return }
        let result = transfer.outcome(code: code)
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        activeByHost[transfer.target.hostKey, default: 1] -= 1
        if activeByHost[transfer.target.hostKey] == 0 { activeByHost[transfer.target.hostKey] = nil }
        finish(transfer, result)
    }

    private func finish(_ transfer: Transfer, _ result: Result<FetchResponse, FetchError>) {
        transfer.releaseHandle()
        let continuation = transfer.continuation
        transfer.continuation = nil
        continuation?.resume(returning: result)
    }
}
