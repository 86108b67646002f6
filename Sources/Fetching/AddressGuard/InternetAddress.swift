#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, classified for the SSRF guard.
public struct InternetAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Wraps 4 or 16 network-order bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted-quad IPv4 or textual IPv6 (`inet_pton` rules, no brackets).
    public init?(parsing text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// The conventional text form (`inet_ntop`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let text: String? = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count)).map { String(cString: $0) }
            }
        }
        return text ?? bytes.map(String.init).joined(separator: ".")
    }

    /// Why the guard refuses this address, or nil for a public unicast address.
    ///
    /// IPv4 ranges: 0/8 unspecified, 10/8, 172.16/12, 192.168/16 private (RFC 1918), 100.64/10 shared (RFC 6598),
    /// 127/8 loopback, 169.254/16 link-local (cloud metadata 169.254.169.254), 192.0.0/24 protocol assignments,
    /// 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved and broadcast.
    /// IPv6: `::` unspecified, `::1` loopback, fe80::/10 link-local, fc00::/7 unique-local, ff00::/8 multicast,
    /// and the IPv4 embedded in `::ffff:0:0/96` (mapped), `::/96` (compatible), `64:ff9b::/96` (NAT64) and
    /// `2002::/16` (6to4) is judged by the IPv4 rules.
    public var blockedReason: String? {
        if bytes.count == 4 { return Self.ipv4BlockedReason(bytes) }
        return ipv6BlockedReason
    }

    /// True when the guard lets connections to this address through.
    public var isPublic: Bool { blockedReason == nil }

    private var ipv6BlockedReason: String? {
        let b = bytes
        let allZeroPrefix = b[0..<10].allSatisfy { $0 == 0 }
        if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
        if allZeroPrefix && b[10] == 0xFF && b[11] == 0xFF {
            return Self.ipv4BlockedReason(Array(b[12..<16])).map { "IPv4-mapped \($0)" }
        }
        if allZeroPrefix && b[10] == 0 && b[11] == 0 {
            return Self.ipv4BlockedReason(Array(b[12..<16])).map { "IPv4-compatible \($0)" } ?? "IPv4-compatible"
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return Self.ipv4BlockedReason(Array(b[12..<16])).map { "NAT64 \($0)" }
        }
        if b[0] == 0x20 && b[1] == 0x02 {
            return Self.ipv4BlockedReason(Array(b[2..<6])).map { "6to4 \($0)" }
        }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return "link-local" }
        if (b[0] & 0xFE) == 0xFC { return "unique-local" }
        if b[0] == 0xFF { return "multicast" }
        return nil
    }

    private static func ipv4BlockedReason(_ b: [UInt8]) -> String? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): "unspecified"
        case (10, _, _): "private"
        case (100, 64...127, _): "shared address space"
        case (127, _, _): "loopback"
        case (169, 254, _): "link-local"
        case (172, 16...31, _): "private"
        case (192, 0, 0): "protocol assignment"
        case (192, 168, _): "private"
        case (198, 18...19, _): "benchmarking"
        case (224...239, _, _): "multicast"
        case (240...255, _, _): "reserved"
        default: nil
        }
    }
}
