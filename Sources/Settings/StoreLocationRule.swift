/// What a `store` value (config key or `--store`) may be: a SQLite file path. A `scheme://…` value is never taken as a
/// file name (it would silently create a folder named after the scheme).
public enum StoreLocationRule {
    /// Why `location` cannot name a store, or nil when it is a usable file path.
    public static func problem(_ location: String) -> String? {
        if location.isEmpty { return "is empty (give the SQLite file's path)" }
        guard let range = location.range(of: "://") else { return nil }
        let scheme = location[..<range.lowerBound].lowercased()
        if scheme == "postgresql" || scheme == "postgres" {
            return "PostgreSQL stores are not available in this build yet; give a SQLite file path"
        }
        return "'\(scheme)://' is not a store location (give a SQLite file path)"
    }
}
