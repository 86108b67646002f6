import Fetching
import JSONOutput

/// `divergence parse` over many inputs: files read and parsed on several cores, printed in input order in large writes.
public enum ParseOutput {
    /// One JSON document (an array when there are several inputs, each with "source"), or one line per input with "source".
    public enum Layout: Sendable {
        case document, lines
    }

    /// Parses every input with up to `jobs` at once (URLs are fetched first, concurrently), writes the JSON to `output`
    /// in input order and calls `failed` with each unreadable or unparseable input's reason, in order; returns how many failed.
    public static func run(_ inputs: [String], policy: FetchPolicy, layout: Layout, jobs: Int, output: Int32 = 1,
                           failed: (String) -> Void) async throws -> Int {
        let remote = inputs.filter(InputReader.isURL)
        var fetched = remote.isEmpty ? [] : await InputReader.read(remote, policy: policy)
        fetched.reverse()
        let named = layout == .lines || inputs.count > 1
        var items = inputs.makeIterator()
        var out = JSONWriter(capacity: 1 << 20)
        var delivered = 0
        var failures = 0
        if layout == .document && inputs.count > 1 { out.raw("[") }
        // Inputs are files of a few KB to a few hundred: a longer look-ahead lets the other cores go on past a large one.
        // Each held result is one input's JSON: no further file is read while those waiting hold 32 MB, whatever their sizes.
        // (URLs were fetched above, before any parsing.)
        try await OrderedOutput.run(jobs: jobs, lookahead: 32 * jobs, heldBytesLimit: 32 << 20, size: { $0.json.count }, next: { () -> (String, InputReader.Outcome?)? in
            guard let input = items.next() else { return nil }
            return (input, InputReader.isURL(input) ? fetched.popLast() : nil)
        }, work: { (input, prefetched) -> (json: [UInt8], failure: String?) in
            let parsed: ParsedInput
            switch prefetched ?? InputReader.readLocal(input) {
            case .success(let (bytes, contentType)): parsed = ParsedInput.parse(bytes, source: input, contentType: contentType)
            case .failure(let error): parsed = .failure(error.reason)
            }
            var json = JSONWriter(capacity: 1 << 14)
            parsed.write(source: named ? input : nil, into: &json)
            if case .failure(let reason) = parsed { return (json.bytes, reason) }
            return (json.bytes, nil)
        }, deliver: { parsed in
            if let reason = parsed.failure {
                failures += 1
                failed(reason)
            }
            if layout == .document && delivered > 0 { out.raw(",\n") }
            out.raw(parsed.json)
            if layout == .lines { out.raw(byte: 0x0A) }
            delivered += 1
            if out.count >= 1 << 20 { try out.flush(to: output) }
        })
        if layout == .document { out.raw(inputs.count > 1 ? "]\n" : "\n") }
        try out.flush(to: output)
        return failures
    }
}
