/// What a `store` value (config key or `--store`) may be: a SQLite file path or a `postgresql://` URL. Any other
/// `scheme://…` value is never taken as a file name (it would silently create a folder named after the scheme).
public enum StoreLocationRule {
    /// Why `location` cannot name a store, or nil when it is a file path or a PostgreSQL URL (checked in full when opened).
    public static func problem(_ location: String) -> String? {
        if location.isEmpty { return "is empty (give the SQLite file's path or a postgresql:// URL)" }
        guard let range = location.range(of: "://") else { return nil }
        let scheme = location[..<range.lowerBound].lowercased()
        if scheme == "postgresql" || scheme == "postgres" { return nil }
        return "'\(scheme)://' is not a store location (give a SQLite file path or a postgresql://user@host:5432/database URL)"
    }

    /// True when `location` names a PostgreSQL store.
    public static func isPostgreSQL(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }
}
