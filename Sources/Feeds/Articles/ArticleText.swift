import CLibXML2
import Foundation

/// Readability-style selection of a page's main text over an `ArticleTree`; every pass is a loop over the flattened nodes.
struct ArticleText {
    /// The rules a pass applies. `ArticlePage.extract` relaxes them one at a time, as Readability does, when the page yields
    /// almost no text: a real article whose body carries a boilerplate-looking class, or whose text sits in links, is then still read.
    struct Rules: Equatable, Sendable {
        /// Drop blocks whose class, id or role names page chrome ("sidebar", "comment", role=navigation), and small headers and forms.
        var stripUnlikely = true
        /// Start candidates from their class/id weight (+25 "article", −25 "share").
        var weightClasses = true
        /// Leave link-heavy blocks and paragraphs, ad labels and promo lines out of the text.
        var cleanConditionally = true

        /// The passes in order: all rules, then without stripping unlikely candidates, without class weights, without conditional cleaning.
        static let passes = [Rules(), Rules(stripUnlikely: false), Rules(stripUnlikely: false, weightClasses: false),
                             Rules(stripUnlikely: false, weightClasses: false, cleanConditionally: false)]
    }

    let tree: ArticleTree
    var rules = Rules()
    /// The rules that changed something in this pass: relaxing one that did not would only repeat the pass.
    var applied = Rules(stripUnlikely: false, weightClasses: false, cleanConditionally: false)
    /// True for every node inside a subtree that is not article text.
    var dropped: [Bool]
    /// Non-whitespace characters of text below each node (before drops), and the page total.
    let rawLength: [Int]
    var length: [Int] = []
    var linkLength: [Int] = []
    /// The nearest block element of each node (itself for blocks).
    var blockOf: [Int] = []
    var inLink: [Bool] = []
    /// Inside a list of references or citations (`ol.references`, `role=doc-bibliography`): links there are citations, not navigation.
    var inReferences: [Bool] = []
    /// Headings (h2–h6) below each node whose text is mostly a link: the mark of a list of teasers.
    var linkedHeadings: [Int] = []
    /// Headings (h2–h6) below each node, and for lists the number of their items that hold one.
    var headings: [Int] = []
    var headedItems: [Int] = []
    /// Characters of text below each node that sit in card lists (`isCardList`).
    var cardLength: [Int] = []
    var scores: [Int: Double] = [:]

    init(tree: ArticleTree) {
        self.tree = tree
        dropped = [Bool](repeating: false, count: tree.nodes.count)
        var raw = [Int](repeating: 0, count: tree.nodes.count)
        for i in tree.nodes.indices.reversed() {
            if tree.nodes[i].isText { raw[i] = Self.visibleCount(tree.nodes[i].text) }
            let parent = tree.nodes[i].parent
            if parent >= 0 { raw[parent] += raw[i] }
        }
        rawLength = raw
    }

    /// Characters of `text` that are not ASCII whitespace (UTF-8 lead bytes counted, continuation bytes skipped).
    static func visibleCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where byte & 0xC0 != 0x80 && !HTMLFragment.Scanner.isASCIISpace(byte) { count += 1 }
        return count
    }

    // MARK: Dropping page chrome

    /// Marks the subtree at `i` as not article text.
    mutating func drop(_ i: Int) {
        for j in i..<tree.nodes[i].end { dropped[j] = true }
    }

    /// Drops elements that are never text; with `heuristics`, also page chrome, hidden blocks and boilerplate classes unless a block holds half the page's text.
    mutating func dropChrome(heuristics: Bool) {
        let total = max(rawLength.first ?? 0, 1)
        var i = 0
        while i < tree.nodes.count {
            let node = tree.nodes[i]
            guard !node.isText, !dropped[i] else { i += 1; continue }
            let structural = node.tag == "html" || node.tag == "body"
            var shouldDrop = ArticleHints.neverText.contains(node.tag) && (heuristics || !["nav", "aside", "footer", "figure", "figcaption", "label", "menu"].contains(node.tag))
            if heuristics, !shouldDrop, !structural, node.pointer.pointee.properties != nil {
                let hidden = tree.attribute(i, "hidden") != nil || tree.attribute(i, "aria-hidden")?.lowercased() == "true"
                    || (tree.attribute(i, "style")?.lowercased().replacingOccurrences(of: " ", with: "")).map { $0.contains("display:none") || $0.contains("visibility:hidden") } == true
                let role = tree.attribute(i, "role")?.lowercased() ?? ""
                let articleBody = tree.attribute(i, "itemprop")?.lowercased() == "articlebody"
                let hints = tree.hints(i)
                var hinted = rules.stripUnlikely && node.tag != "main" && !articleBody
                    && (ArticleHints.isBoilerplate(hints) || ArticleHints.chromeRoles.contains(role))
                // News sites fold the rest of an article into a "read more" expander (`div#read-more-content`): one that holds two or
                // more paragraphs of prose is the article's continuation, while the expander's button and teaser links hold none.
                if hinted, ArticleHints.isExpander(hints), proseParagraphs(i) >= 2 { hinted = false }
                // Documentation generators give each section the slug of its heading as id ("example-1-amend-a-shared-changeset"):
                // words of the heading, not a description of the block.
                if hinted, !ArticleHints.chromeRoles.contains(role), !ArticleHints.isBoilerplate((tree.attribute(i, "class") ?? "").lowercased()),
                   isHeadingSlug(i) { hinted = false }
                let minor = Double(rawLength[i]) < 0.5 * Double(total)
                let unlikely = hinted && (minor || ArticleHints.chromeRoles.contains(role) && node.tag != "div")
                    || rules.stripUnlikely && ArticleHints.usuallyNotText.contains(node.tag) && minor
                if unlikely && !hidden { applied.stripUnlikely = true }
                shouldDrop = hidden || unlikely
            }
            if shouldDrop {
                drop(i)
                i = node.end
            } else {
                i += 1
            }
        }
    }

    /// Whether the id of `i` is the slug of its first child heading (lowercased words joined by "-").
    func isHeadingSlug(_ i: Int) -> Bool {
        guard let id = tree.attribute(i, "id")?.lowercased(), !id.isEmpty,
              let heading = elementChildren(i).first, ["h1", "h2", "h3", "h4", "h5", "h6"].contains(tree.nodes[heading].tag) else { return false }
        let slug = tree.text(heading).lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
        return slug == id
    }

    /// `<p>` elements of 80 or more characters below `i`.
    func proseParagraphs(_ i: Int) -> Int {
        (i..<tree.nodes[i].end).reduce(0) { $0 + (tree.nodes[$1].tag == "p" && rawLength[$1] >= 80 ? 1 : 0) }
    }

    // MARK: Measuring

    /// Block membership, link membership and text lengths after drops.
    mutating func measure() {
        let count = tree.nodes.count
        blockOf = [Int](repeating: -1, count: count)
        inLink = [Bool](repeating: false, count: count)
        inReferences = [Bool](repeating: false, count: count)
        length = [Int](repeating: 0, count: count)
        linkLength = [Int](repeating: 0, count: count)
        linkedHeadings = [Int](repeating: 0, count: count)
        headings = [Int](repeating: 0, count: count)
        headedItems = [Int](repeating: 0, count: count)
        cardLength = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let node = tree.nodes[i]
            let parent = node.parent
            if node.isText {
                blockOf[i] = parent >= 0 ? blockOf[parent] : -1
                inLink[i] = parent >= 0 && inLink[parent]
            } else {
                blockOf[i] = ArticleHints.blocks.contains(node.tag) || node.tag == "td" || node.tag == "th" ? i : (parent >= 0 ? blockOf[parent] : i)
                // In-page anchors (`href="#…"`: table-of-contents back-references, permalinks on documentation headings) lead nowhere
                // else, so they are not links for link density (Readability weighs them at 0.3).
                inLink[i] = (parent >= 0 && inLink[parent]) || node.tag == "a" && tree.attribute(i, "href")?.hasPrefix("#") != true
            }
            inReferences[i] = parent >= 0 && inReferences[parent] || !node.isText && isReferenceList(i)
        }
        for i in (0..<count).reversed() where !dropped[i] {
            if tree.nodes[i].isText {
                length[i] = rawLength[i]
                if inLink[i] { linkLength[i] = rawLength[i] }
            }
            if ["h2", "h3", "h4", "h5", "h6"].contains(tree.nodes[i].tag), length[i] > 0 {
                headings[i] += 1
                if 2 * linkLength[i] > length[i] { linkedHeadings[i] += 1 }
            }
            let parent = tree.nodes[i].parent
            if parent >= 0 {
                length[parent] += length[i]
                linkLength[parent] += linkLength[i]
                linkedHeadings[parent] += linkedHeadings[i]
                headings[parent] += headings[i]
                if tree.nodes[i].tag == "li", headings[i] > 0 { headedItems[parent] += 1 }
                cardLength[parent] += isCardList(i) ? length[i] : cardLength[i]
            }
        }
    }

    /// Encyclopedia and paper reference lists: an `ol`/`ul` whose class or id has the word "references", "reflist", "citations" or
    /// "bibliography", or an element with role `doc-bibliography`/`doc-endnotes`. Their entries are mostly linked titles ("Retrieved …").
    func isReferenceList(_ i: Int) -> Bool {
        guard tree.nodes[i].pointer.pointee.properties != nil else { return false }
        if let role = tree.attribute(i, "role")?.lowercased(), role == "doc-bibliography" || role == "doc-endnotes" { return true }
        guard tree.nodes[i].tag == "ol" || tree.nodes[i].tag == "ul" else { return false }
        return tree.hints(i).split(whereSeparator: { !$0.isLetter }).contains { ["references", "reflist", "citations", "bibliography"].contains($0) }
    }

    /// A list of three or more items that each carry their own heading: the slides of a photo gallery, a row of teaser cards.
    /// Its captions are paragraphs, but it is a set of separate pieces, not the article's prose.
    func isCardList(_ i: Int) -> Bool {
        (tree.nodes[i].tag == "ul" || tree.nodes[i].tag == "ol") && headedItems[i] >= 3
    }

    func linkDensity(_ i: Int) -> Double {
        length[i] == 0 ? 0 : Double(linkLength[i]) / Double(length[i])
    }

    // MARK: Scoring

    /// Paragraph units: each block's own inline text (text not inside a nested block), with its length, link length and comma count.
    func units() -> [(block: Int, length: Int, links: Int, commas: Int, mixed: Bool)] {
        var own: [Int: (length: Int, links: Int, commas: Int)] = [:]
        var mixed = Set<Int>()
        for i in tree.nodes.indices where !dropped[i] {
            let block = blockOf[i]
            guard block >= 0 else { continue }
            if tree.nodes[i].isText {
                let text = tree.nodes[i].text
                var entry = own[block] ?? (0, 0, 0)
                entry.length += rawLength[i]
                if inLink[i] { entry.links += rawLength[i] }
                entry.commas += text.unicodeScalars.reduce(0) { $0 + ($1 == "," || $1 == "，" ? 1 : 0) }
                own[block] = entry
            } else if block == i, tree.nodes[i].parent >= 0 {
                let parentBlock = blockOf[tree.nodes[i].parent]
                if parentBlock >= 0 { mixed.insert(parentBlock) }
            }
        }
        return own.map { (block: $0.key, length: $0.value.length, links: $0.value.links, commas: $0.value.commas, mixed: mixed.contains($0.key)) }
            .sorted { $0.block < $1.block }
    }

    func classWeight(_ i: Int) -> Int {
        guard rules.weightClasses, tree.nodes[i].pointer.pointee.properties != nil else { return 0 }
        var weight = ArticleHints.weight(className: tree.attribute(i, "class"), id: tree.attribute(i, "id"))
        if tree.attribute(i, "itemprop")?.lowercased() == "articlebody" { weight += 50 }
        return weight
    }

    /// Readability scores: each paragraph unit adds 1 + commas + min(length/100, 3) to its parent, half to the grandparent,
    /// and score/(3·level) further up, five levels in all; candidates start from their tag and class weights.
    mutating func score() {
        for unit in units() {
            let tag = tree.nodes[unit.block].tag
            // List items count when they are sentences (100+ characters): release notes and "this week in" posts are all lists,
            // while menus and link rails hold short or link-heavy items.
            let listProse = tag == "li" && unit.length >= 100
            guard unit.length >= 20, listProse || !["li", "dt", "dd", "h1", "th"].contains(tag), Double(unit.links) <= 0.5 * Double(unit.length) else { continue }
            let points = 1 + Double(unit.commas) + min(Double(unit.length / 100), 3)
            var targets: [Int] = unit.mixed ? [unit.block] : []
            for ancestor in tree.ancestors(of: unit.block) {
                // A caption inside a card list scores its card only: fifty gallery slides must not outweigh the article beside them.
                if targets.count >= 5 || isCardList(ancestor) { break }
                targets.append(ancestor)
            }
            for (level, target) in targets.enumerated() where !dropped[target] {
                if scores[target] == nil {
                    let weight = classWeight(target)
                    if weight != 0 { applied.weightClasses = true }
                    scores[target] = Double(ArticleHints.tagWeight(tree.nodes[target].tag) + weight)
                }
                let divider: Double = level == 0 ? 1 : level == 1 ? 2 : Double(level) * 3
                scores[target]! += points / divider
            }
        }
        for (node, value) in scores { scores[node] = value * (1 - linkDensity(node)) * (linkedHeadings[node] >= 3 ? 0.3 : 1) }
    }

    /// The best candidate, moved up to a common ancestor when several near-best candidates share one, plus qualifying siblings.
    /// When the page title is known and an `<h1>`/`<h2>` carries it, candidates between that heading and the next `<h1>` are preferred
    /// (pages that append the next article below the first).
    func selection(title: String?) -> [Int] {
        var ranked = scores.filter { !["html", "body"].contains(tree.nodes[$0.key].tag) }.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        if let region = titleRegion(title), let best = ranked.first, !region.contains(best.key), !tree.contains(best.key, region.lowerBound) {
            let inside = ranked.filter { (region.contains($0.key) || tree.contains($0.key, region.lowerBound)) && $0.value >= 0.2 * best.value }
            if !inside.isEmpty { ranked = inside }
        }
        guard var top = ranked.first?.key, var topScore = ranked.first?.value else {
            return tree.nodes.indices.first { tree.nodes[$0].tag == "body" }.map { [$0] } ?? (tree.nodes.isEmpty ? [] : [0])
        }
        let alternatives = ranked.dropFirst().prefix(5).filter { $0.value >= 0.75 * topScore }.map(\.key)
        if alternatives.count >= 2 {
            for ancestor in tree.ancestors(of: top) where !["html", "body"].contains(tree.nodes[ancestor].tag) {
                if alternatives.filter({ tree.contains(ancestor, $0) }).count >= 2 {
                    top = ancestor
                    topScore = max(topScore, scores[ancestor] ?? 0)
                    break
                }
            }
        }
        // Multi-section pages (documentation, long reads whose headed sections are blocks of their own) make one section the best
        // candidate; as Readability does, climb to the nearest ancestor that scores higher than the path below it, as long as no
        // ancestor on the way drops under a third of the candidate's score.
        var lastScore = topScore
        var climb = tree.nodes[top].parent
        while climb >= 0, !["html", "body"].contains(tree.nodes[climb].tag) {
            guard let score = scores[climb] else { climb = tree.nodes[climb].parent; continue }
            if score < topScore / 3 { break }
            if score > lastScore {
                top = climb
                topScore = max(topScore, score)
                break
            }
            lastScore = score
            climb = tree.nodes[climb].parent
        }
        while case let parent = tree.nodes[top].parent, parent >= 0, !["html", "body"].contains(tree.nodes[parent].tag),
              elementChildren(parent).filter({ !dropped[$0] }).count == 1 {
            top = parent
        }
        let parent = tree.nodes[top].parent
        guard parent >= 0 else { return [top] }
        let threshold = max(10, topScore * 0.2)
        let topClass = tree.attribute(top, "class")
        var chosen: [Int] = []
        for sibling in elementChildren(parent) where !dropped[sibling] {
            if sibling == top { chosen.append(sibling); continue }
            if linkedHeadings[sibling] >= 2 { continue }
            var bonus = 0.0
            if let topClass, !topClass.isEmpty, tree.attribute(sibling, "class") == topClass { bonus = topScore * 0.2 }
            if let score = scores[sibling], score + bonus >= threshold { chosen.append(sibling); continue }
            let tag = tree.nodes[sibling].tag
            if tag == "ul" || tag == "ol", linkLength[sibling] == 0, length[sibling] > 60 { chosen.append(sibling); continue }
            let isParagraph = tag == "p" || (ArticleHints.blocks.contains(tag) && !hasBlockChild(sibling))
            guard isParagraph else { continue }
            let text = tree.text(sibling, dropped: dropped)
            let density = linkDensity(sibling)
            if length[sibling] > 80 && density < 0.25 { chosen.append(sibling) }
            else if length[sibling] > 0, density == 0, text.hasSuffix(".") || text.contains(". ") { chosen.append(sibling) }
        }
        return chosen
    }

    /// Node indices from the first `<h1>`/`<h2>` whose text is the title up to the next `<h1>`; nil when no heading carries the title.
    func titleRegion(_ title: String?) -> Range<Int>? {
        guard let title = title?.lowercased(), !title.isEmpty else { return nil }
        guard let heading = tree.nodes.indices.first(where: { ["h1", "h2"].contains(tree.nodes[$0].tag) && tree.text($0).lowercased() == title }) else { return nil }
        let next = (tree.nodes[heading].end..<tree.nodes.count).first { tree.nodes[$0].tag == "h1" } ?? tree.nodes.count
        return heading..<next
    }

    func elementChildren(_ i: Int) -> [Int] {
        var result: [Int] = []
        var j = i + 1
        while j < tree.nodes[i].end {
            if !tree.nodes[j].isText { result.append(j) }
            j = tree.nodes[j].end
        }
        return result
    }

    func hasBlockChild(_ i: Int) -> Bool {
        (i + 1..<tree.nodes[i].end).contains { !dropped[$0] && blockOf[$0] == $0 }
    }

    // MARK: Rendering

    /// The paragraphs below `roots` in document order; inline text runs between block boundaries form one paragraph each.
    /// With `heuristics`, link-heavy containers and paragraphs, ad labels, bylines and the `<h1>` are left out.
    mutating func paragraphs(_ roots: [Int], heuristics: Bool, author: String?, title: String?) -> [String] {
        var cleaned = false
        defer { if cleaned { applied.cleanConditionally = true } }
        let headline = title.map { $0.lowercased() }
        var result: [String] = []
        var buffer = ""
        var bufferLinks = 0
        var bufferLength = 0
        var bufferIsReference = false
        func flush() {
            defer { buffer = ""; bufferLinks = 0; bufferLength = 0; bufferIsReference = false }
            let text = HTMLText.collapseWhitespace(buffer)
            guard !text.isEmpty else { return }
            if heuristics {
                let lower = text.lowercased()
                if isByline(text, lower: lower, author: author) || lower == headline { return }
            }
            if heuristics && rules.cleanConditionally {
                let lower = text.lowercased()
                let linkHeavy = bufferLength > 0 && Double(bufferLinks) > 0.5 * Double(bufferLength) && !bufferIsReference
                if linkHeavy || ArticleHints.labels.contains(lower.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)))
                    || text.count < 200 && ArticleHints.promoOpenings.contains(where: lower.hasPrefix) || text.count < 40 && lower.contains("min read") {
                    cleaned = true
                    return
                }
            }
            // Identical paragraphs in a row stay: repetition inside one article is content (a refrain, a repeated notice);
            // duplicates between documents are the store's business.
            result.append(text)
        }
        for root in roots {
            var openBlocks: [Int] = []
            var previousBreak = false
            var skippedSection = -1
            var j = root
            while j < tree.nodes[root].end {
                while let end = openBlocks.last, j >= end { openBlocks.removeLast(); flush() }
                let node = tree.nodes[j]
                if dropped[j] { j = node.end; continue }
                if skippedSection >= 0, j >= tree.nodes[skippedSection].end { skippedSection = -1 }
                if heuristics, !node.isText, ["h2", "h3", "h4", "h5", "h6"].contains(node.tag) {
                    if ArticleHints.isBoilerplateHeading(tree.text(j, dropped: dropped)) {
                        skippedSection = node.parent
                        j = node.end
                        continue
                    }
                    if node.parent == skippedSection { skippedSection = -1 }
                }
                if skippedSection >= 0, node.parent == skippedSection { j = node.end; continue }
                if node.isText {
                    buffer += node.text
                    let count = rawLength[j]
                    bufferLength += count
                    if inLink[j] { bufferLinks += count }
                    if inReferences[j] { bufferIsReference = true }
                    if count > 0 { previousBreak = false }
                    j += 1
                    continue
                }
                if heuristics && j != root && skipWhenRendering(j) {
                    if node.tag != "h1" { cleaned = true }
                    j = node.end
                    continue
                }
                switch node.tag {
                case "br":
                    if previousBreak { flush() } else { buffer += " " }
                    previousBreak = true
                case "td", "th":
                    buffer += "  "
                default:
                    if blockOf[j] == j {
                        flush()
                        openBlocks.append(node.end)
                    }
                }
                j += 1
            }
            while !openBlocks.isEmpty { openBlocks.removeLast(); flush() }
            flush()
        }
        return result
    }

    /// The headline is never article text; with conditional cleaning (Readability's, reduced), neither are link lists, card lists
    /// and the blocks that are mostly a card list (a gallery widget: its title and its slides).
    func skipWhenRendering(_ i: Int) -> Bool {
        let tag = tree.nodes[i].tag
        if tag == "h1" { return true }
        guard rules.cleanConditionally, ["div", "section", "ul", "ol", "dl", "table", "p"].contains(tag), !inReferences[i] else { return false }
        return length[i] > 0 && (linkDensity(i) > 0.5 && length[i] < 2_000 || linkedHeadings[i] >= 2 || isCardList(i)
            || 5 * cardLength[i] >= 4 * length[i])
    }

    func isByline(_ text: String, lower: String, author: String?) -> Bool {
        guard lower.hasPrefix("by ") || lower.hasPrefix("written by ") else { return false }
        if let author, text.count < 160, text.contains(author) { return true }
        return text.split(separator: " ").count <= 8 && !text.hasSuffix(".")
    }
}
