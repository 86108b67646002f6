import Foundation
import Hummingbird

extension DashboardPage {
    /// The page with its content type and a policy that lets it load nothing from elsewhere.
    static let response = Response(
        status: .ok,
        headers: [.contentType: "text/html; charset=utf-8",
                  .contentSecurityPolicy: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
                  .xContentTypeOptions: "nosniff", .cacheControl: "no-cache"],
        body: .init(byteBuffer: ByteBuffer(string: html)))

    /// The token in `divergence_token=…` among `Cookie` header values, percent-decoded; nil when absent.
    static func cookieToken(_ headers: [String]) -> String? {
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == tokenCookie { return String(parts[1]).removingPercentEncoding }
            }
        }
        return nil
    }
}
