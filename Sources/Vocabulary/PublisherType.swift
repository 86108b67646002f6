/// Who publishes a source; an institution's stance outweighs a headline writer's. The one word for it in the config,
/// the store and the `--publisher-type` flag.
public enum PublisherType: String, Sendable, Codable, CaseIterable {
    case institutional, analyst, media, retail, miner

    /// Every type's name, comma-separated, for a message that lists the choices.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}
