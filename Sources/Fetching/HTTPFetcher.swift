/// Fetches many URLs at once through libcurl with bounded global and per-host concurrency, the limits of each
/// request's `FetchPolicy`, conditional GET and the SSRF guard.
///
/// Transfers run on one dedicated thread per fetcher; callers only suspend.
public final class HTTPFetcher: Sendable {
    private let engine: TransferEngine

    /// Creates a fetcher running at most `globalConcurrency` transfers, and `perHostConcurrency` per host.
    public init(globalConcurrency: Int = 8, perHostConcurrency: Int = 2) {
        engine = TransferEngine(globalLimit: globalConcurrency, perHostLimit: perHostConcurrency)
    }

    deinit {
        engine.shutdown()
    }

    /// Fetches one URL; 2xx and 304 return, any other final status throws `httpStatus`.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        try await result(of: request).get()
    }

    /// Fetches every request concurrently (within the limits); results are in the order of `requests`.
    public func fetchAll(_ requests: [FetchRequest]) async -> [Result<FetchResponse, FetchError>] {
        await withTaskGroup(of: (Int, Result<FetchResponse, FetchError>).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, await self.result(of: request)) }
            }
            var results = [Result<FetchResponse, FetchError>?](repeating: nil, count: requests.count)
            for await (index, result) in group {
                results[index] = result
            }
            return results.enumerated().map { index, result in
                result ?? .failure(.cancelled(url: requests[index].url))
            }
        }
    }

    private func result(of request: FetchRequest) async -> Result<FetchResponse, FetchError> {
        let target: FetchTarget
        do {
            target = try FetchTarget(request)
        } catch {
            return .failure(error)
        }
        if Task.isCancelled { return .failure(.cancelled(url: request.url)) }
        let transfer = Transfer(request: request, target: target)
        let engine = self.engine
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                engine.submit(transfer)
            }
        } onCancel: {
            transfer.cancel()
            engine.wake()
        }
    }
}
