import JSONOutput

/// One-line JSON rendering of scored sentences:
/// `{"text","score","label","relevant","speaker_type","claims":[{population,share,proposition,stance,sample_size,hedged,conditional}],
/// "units":[{text,holder,speaker_type,score,topic,relevant}]}`.
public enum SentimentJSONL {
    /// The JSON object for `s` on one line (no trailing newline); numbers rounded to 4 decimals.
    public static func line(for s: SentenceSentiment) -> String {
        var out = JSONWriter(capacity: 256)
        write(s, into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends the JSON object for `s` to `out` (no trailing newline).
    public static func write(_ s: SentenceSentiment, into out: inout JSONWriter) {
        out.raw("{\"text\":")
        out.string(s.text)
        out.raw(",\"score\":")
        out.number(s.score, places: 4)
        out.raw(",\"label\":")
        out.string(s.label.rawValue)
        out.raw(",\"relevant\":")
        out.bool(s.relevant)
        out.raw(",\"speaker_type\":")
        out.string(s.speakerType.rawValue)
        out.raw(",\"claims\":")
        out.array(s.claims) { out, c in
            out.raw("{\"population\":")
            out.string(c.population.rawValue)
            out.raw(",\"share\":")
            out.number(c.share, places: 4)
            out.raw(",\"proposition\":")
            out.string(c.proposition.rawValue)
            out.raw(",\"stance\":")
            out.integer(c.stance)
            out.raw(",\"sample_size\":")
            out.integer(c.sampleSize)
            out.raw(",\"hedged\":")
            out.bool(c.hedged)
            out.raw(",\"conditional\":")
            out.bool(c.conditional)
            out.raw("}")
        }
        out.raw(",\"units\":")
        out.array(s.units) { out, u in
            out.raw("{\"text\":")
            out.string(u.text)
            out.raw(",\"holder\":")
            out.string(u.holder)
            out.raw(",\"speaker_type\":")
            out.string(u.speakerType.rawValue)
            out.raw(",\"score\":")
            out.number(u.score, places: 4)
            out.raw(",\"topic\":")
            out.string(u.topic.rawValue)
            out.raw(",\"relevant\":")
            out.bool(u.relevant)
            out.raw("}")
        }
        out.raw("}")
    }

    /// A finite number rounded to 4 decimals, without exponent; non-finite values become 0.
    static func number(_ x: Double) -> String {
        var out = JSONWriter(capacity: 24)
        out.number(x, places: 4)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
