import Foundation

/// The read-only HTTP API (filled in by the server work).
public enum APIServerPlaceholder {}
