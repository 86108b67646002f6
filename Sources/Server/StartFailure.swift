import Foundation

/// Why the server could not start, in the operator's words rather than a socket call's.
public enum StartFailure {
    /// "port 8080 is already in use on 127.0.0.1" for EADDRINUSE; otherwise the error as the library words it.
    public static func describe(_ error: any Error, host: String, port: Int) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("errno: \(EADDRINUSE))") {
            return "port \(port) is already in use on \(host) (choose another with --port, or stop the other server)"
        }
        if text.contains("Permission denied") || text.contains("errno: \(EACCES))") {
            return "no permission to listen on \(host):\(port) (ports below 1024 need privileges)"
        }
        if text.contains("Cannot assign requested address") || text.contains("errno: \(EADDRNOTAVAIL))") {
            return "\(host) is not an address of this machine"
        }
        return "cannot serve on \(host):\(port): \(text)"
    }
}
