import CLibXML2
import Foundation

/// Whitelist HTML sanitiser: keeps formatting and links, drops scripts, styles, event handlers and unsafe URLs
/// (the scanning is done by `HTMLFragment`).
public enum HTMLSanitizer {
    static let allowedElements: Set<String> = [
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
        "audio", "video", "source", "picture", "time", "mark", "section", "article", "aside", "header", "footer",
    ]
    static let allowedAttributes: Set<String> = [
        "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "align", "valign", "cite", "datetime",
        "lang", "dir", "start", "type", "summary", "abbr", "headers", "scope", "controls", "poster",
    ]
    static let urlAttributes: Set<String> = ["href", "src", "cite", "poster"]
    static let voidElements: Set<String> = ["br", "hr", "img", "col", "source"]

    /// Sanitised HTML for `html`; relative URLs are resolved against `base` when given.
    public static func sanitize(_ html: String, base: String? = nil) -> String {
        HTMLFragment.render(html, base: base).html
    }

    /// `value` resolved against `base`, or nil when its scheme is not http, https or mailto.
    static func safeURL(_ value: String, base: String?) -> String? {
        let trimmed = HTMLText.trim(value)
        switch URLResolution.schemeKind(trimmed) {
        case .web: return trimmed
        case .other: return nil
        case .none: break
        }
        let resolved = URLResolution.resolve(trimmed, against: base) ?? trimmed
        return URLResolution.schemeKind(resolved) == .other ? nil : resolved
    }
}

/// Relative-reference resolution (RFC 3986) through libxml2's `xmlBuildURI`.
enum URLResolution {
    /// `reference` resolved against `base`; the reference unchanged when there is no base or it is absolute.
    static func resolve(_ reference: String, against base: String?) -> String? {
        guard let base, !base.isEmpty else { return reference }
        if reference.isEmpty { return base }
        if isAbsolute(reference) { return reference }
        guard let built = xmlBuildURI(reference, base) else { return reference }
        defer { feeds_free(built) }
        return String(cString: built)
    }

    static func isAbsolute(_ s: String) -> Bool { schemeLength(s) != nil }

    /// The schemes sanitised HTML keeps, lower-case.
    static let webSchemes: [[UInt8]] = ["http", "https", "mailto"].map { Array($0.utf8) }

    /// What a URL's scheme allows in sanitised HTML.
    enum SchemeKind { case none, web, other }

    /// `none` for a relative reference, `web` for http, https and mailto (any case), `other` for the rest.
    static func schemeKind(_ s: String) -> SchemeKind {
        guard let length = schemeLength(s) else { return .none }
        let name = s.utf8.prefix(length)
        let isWeb = webSchemes.contains { $0.count == length && HTMLText.startsIgnoringASCIICase(name, with: $0) }
        return isWeb ? .web : .other
    }

    /// Length of the URI scheme (RFC 3986 `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`) before the `:`, or nil
    /// when `s` is a relative reference.
    static func schemeLength(_ s: String) -> Int? {
        var length = 0
        for byte in s.utf8 {
            if byte == UInt8(ascii: ":") { return length > 0 ? length : nil }
            let isAlpha = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            let isOther = (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isAlpha || (length > 0 && isOther) else { return nil }
            length += 1
        }
        return nil
    }
}
