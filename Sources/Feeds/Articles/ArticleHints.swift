/// What element names, roles, classes and ids say about whether a block is article text.
enum ArticleHints {
    /// Elements that never hold article text, whatever their size.
    static let neverText: Set<String> = [
        "head", "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "textarea", "select",
        "option", "button", "input", "label", "nav", "aside", "footer", "figure", "figcaption", "dialog", "menu", "video", "audio", "picture",
        "amp-ad", "amp-embed", "amp-sidebar", "amp-social-share", "amp-analytics", "amp-consent", "amp-geo", "amp-iframe", "amp-img",
        "amp-carousel", "amp-sticky-ad", "amp-user-notification", "amp-list", "amp-video", "amp-twitter", "amp-lightbox",
    ]
    /// Elements dropped unless they hold most of the page's text (some sites wrap a whole page in a form or header).
    static let usuallyNotText: Set<String> = ["header", "form", "address"]
    /// ARIA roles of page chrome.
    static let chromeRoles: Set<String> = ["navigation", "complementary", "contentinfo", "banner", "dialog", "alertdialog", "search", "menu", "menubar", "toolbar"]
    /// Elements that start a paragraph of their own.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "legend", "main",
    ]

    /// Class/id fragments of boilerplate blocks: share bars, related links, comments, banners, sign-up boxes, bylines, captions.
    static let negativeFragments = [
        "comment", "disqus", "share", "sharing", "social", "related", "recommend", "newsletter", "subscribe", "subscription", "signup",
        "sign-up", "cookie", "consent", "gdpr", "promo", "advert", "sponsor", "outbrain", "taboola", "sidebar", "breadcrumb", "popup",
        "modal", "paywall", "byline", "caption", "pullquote", "pull-quote", "author-bio", "authorbio", "author-box", "about-author",
        "disclaimer", "most-read", "mostread", "most-popular", "popular", "trending", "more-stories", "read-more", "readmore", "also-read",
        "toolbar", "masthead", "footer", "navbar", "nav-", "menu", "widget", "banner", "tweet", "timestamp", "dateline", "sr-only",
        "visually-hidden", "screen-reader", "skip-link", "print-only", "jump-link", "player", "speechify", "footnote", "reading-time", "readtime", "teaser", "topics", "keywords", "tag-list",
    ]
    /// Whole class/id words of boilerplate blocks (too short to match as fragments).
    static let negativeWords: Set<String> = ["ad", "ads", "adslot", "adunit", "dfp", "nav", "meta", "tags", "bio", "more", "hidden", "rail", "replies", "responses", "discussion", "extra", "aside", "promoted", "feedback"]
    /// Class/id fragments that mark the article body; they cancel a negative hint on the same element.
    static let bodyFragments = ["article-body", "articlebody", "article__body", "story-body", "storybody", "entry-content", "post-content",
                                "article-content", "articlecontent", "main-content", "post-body", "body-text", "commentary", "story-content", "article-text"]
    static let positiveFragments = ["article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story", "prose"]

    /// Whether `hints` (lowercased class and id) mark a boilerplate block.
    static func isBoilerplate(_ hints: String) -> Bool {
        guard !hints.isEmpty else { return false }
        let bytes = Array(hints.utf8)
        if containsAny(bytes, bodyBytes) { return false }
        if containsAny(bytes, negativeBytes) { return true }
        return hints.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { negativeWords.contains(String($0)) }
    }

    static let bodyBytes = bodyFragments.map { Array($0.utf8) }
    static let negativeBytes = negativeFragments.map { Array($0.utf8) }
    static let positiveBytes = positiveFragments.map { Array($0.utf8) }

    /// Whether any needle occurs in `haystack` (byte comparison; class names are short, so a plain scan is fastest).
    static func containsAny(_ haystack: [UInt8], _ needles: [[UInt8]]) -> Bool {
        haystack.withUnsafeBufferPointer { h in
            for needle in needles where needle.count <= h.count {
                let first = needle[0]
                var i = 0
                while i <= h.count - needle.count {
                    if h[i] == first {
                        var k = 1
                        while k < needle.count, h[i + k] == needle[k] { k += 1 }
                        if k == needle.count { return true }
                    }
                    i += 1
                }
            }
            return false
        }
    }

    /// Whether `hints` are boilerplate only because they name a "read more" expander.
    static func isExpander(_ hints: String) -> Bool {
        guard hints.contains("read-more") || hints.contains("readmore") else { return false }
        return !isBoilerplate(hints.replacingOccurrences(of: "read-more", with: " ").replacingOccurrences(of: "readmore", with: " "))
    }

    /// Whether `hints` mark a reader-comment section.
    static func isCommentSection(_ hints: String) -> Bool {
        guard !hints.isEmpty else { return false }
        let bytes = Array(hints.utf8)
        guard !containsAny(bytes, [Array("commentary".utf8)]) else { return false }
        return containsAny(bytes, [Array("comment".utf8), Array("disqus".utf8)]) || hints.split(whereSeparator: { !$0.isLetter }).contains { $0 == "replies" || $0 == "responses" }
    }

    /// Readability's class weight: +25 for a body-like class or id, −25 for a boilerplate one, each attribute counted once.
    static func weight(className: String?, id: String?) -> Int {
        var weight = 0
        for value in [className, id] {
            guard let value = value?.lowercased(), !value.isEmpty else { continue }
            if isBoilerplate(value) { weight -= 25 }
            let bytes = Array(value.utf8)
            if containsAny(bytes, positiveBytes) { weight += 25 }
            if containsAny(bytes, bodyBytes) { weight += 25 }
        }
        return weight
    }

    /// Readability's starting score of a candidate by element name.
    static func tagWeight(_ tag: String) -> Int {
        switch tag {
        case "div", "article", "main": 5
        case "pre", "td", "blockquote", "section": 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": -5
        default: 0
        }
    }

    /// Openings of short paragraphs that promote, credit or sign off rather than report.
    static let promoOpenings = [
        "sign up for", "sign up to", "subscribe to", "follow us on", "click here", "download our app", "get our", "join our", "our standards:",
        "reporting by", "additional reporting by", "writing by", "editing by", "compiled by", "this article was produced by", "read also:", "read more:",
        "see also:", "related:", "watch:", "listen:",
    ]
    /// Openings of headings that start a section of boilerplate: everything under them up to the next heading is dropped.
    static let boilerplateHeadings = [
        "forward-looking statement", "forward looking statement", "safe harbor", "safe harbour", "media contact", "press contact", "investor contact",
        "investor relations contact", "about the author", "about us", "related", "more on ", "more from ", "read more", "recommended", "you may also like",
        "most read", "most popular", "trending", "comments", "leave a reply", "leave a comment", "share this", "topics", "tags", "further reading", "latest news",
    ]
    static let companySuffixes = ["inc.", "inc", "corp.", "corp", "corporation", "ltd.", "ltd", "llc", "plc", "ag", "s.a.", "n.v.", "limited", "group", "holdings"]

    /// Whether heading text opens a boilerplate section ("About Acme Corp.", "Forward-Looking Statements", "Related coverage").
    static func isBoilerplateHeading(_ text: String) -> Bool {
        let lower = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        guard lower.split(separator: " ").count <= 6 else { return false }
        if boilerplateHeadings.contains(where: { lower.hasPrefix($0) }) { return true }
        guard lower.hasPrefix("about ") else { return false }
        let last = lower.split(separator: " ").last.map(String.init) ?? ""
        return companySuffixes.contains(last)
    }

    /// Short blocks that label ads or invite clicks rather than say anything.
    static let labels: Set<String> = [
        "advertisement", "ad", "sponsored", "story continues below advertisement", "article continues below", "continue reading",
        "continue reading below", "scroll to continue with content", "read more", "share", "share this article", "share this story",
        "skip advertisement", "listen to this article", "save", "print", "email", "copy link",
    ]
}
