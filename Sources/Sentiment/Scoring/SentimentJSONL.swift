/// One-line JSON rendering of scored sentences:
/// `{"text","score","label","relevant","speaker_type","claims":[{population,share,proposition,stance,sample_size,hedged,conditional}],
/// "units":[{text,holder,speaker_type,score,topic,relevant}]}`.
public enum SentimentJSONL {
    /// The JSON object for `s` on one line (no trailing newline); numbers rounded to 4 decimals.
    public static func line(for s: SentenceSentiment) -> String {
        var out = "{\"text\":"
        appendString(s.text, to: &out)
        out += ",\"score\":" + number(s.score)
        out += ",\"label\":\"" + s.label.rawValue + "\""
        out += ",\"relevant\":" + (s.relevant ? "true" : "false")
        out += ",\"speaker_type\":\"" + s.speakerType.rawValue + "\""
        out += ",\"claims\":["
        for (i, c) in s.claims.enumerated() {
            if i > 0 { out += "," }
            out += "{\"population\":"
            appendString(c.population, to: &out)
            out += ",\"share\":" + number(c.share)
            out += ",\"proposition\":"
            appendString(c.proposition, to: &out)
            out += ",\"stance\":" + String(c.stance)
            out += ",\"sample_size\":" + (c.sampleSize.map(String.init) ?? "null")
            out += ",\"hedged\":" + (c.hedged ? "true" : "false")
            out += ",\"conditional\":" + (c.conditional ? "true" : "false")
            out += "}"
        }
        out += "],\"units\":["
        for (i, u) in s.units.enumerated() {
            if i > 0 { out += "," }
            out += "{\"text\":"
            appendString(u.text, to: &out)
            out += ",\"holder\":"
            if let holder = u.holder { appendString(holder, to: &out) } else { out += "null" }
            out += ",\"speaker_type\":\"" + u.speakerType.rawValue + "\""
            out += ",\"score\":" + number(u.score)
            out += ",\"topic\":\"" + u.topic.rawValue + "\""
            out += ",\"relevant\":" + (u.relevant ? "true" : "false")
            out += "}"
        }
        out += "]}"
        return out
    }

    /// A finite number rounded to 4 decimals, without exponent; non-finite values become 0.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let scaled = (x * 10_000).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 10_000
        var frac = String(magnitude % 10_000)
        while frac.count < 4 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        return (negative ? "-" : "") + String(whole) + (frac.isEmpty ? "" : "." + frac)
    }

    static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }
}
