import Foundation

/// The last evaluated value of one alert rule.
public struct AlertState: Sendable, Equatable {
    public var name: String
    /// The rule's value at the last evaluation (`true`/`false` for thresholds, a label or date for change rules).
    public var value: String?
    public var evaluatedAt: Date
    public var firedAt: Date?

    public init(name: String, value: String?, evaluatedAt: Date, firedAt: Date?) {
        self.name = name
        self.value = value
        self.evaluatedAt = evaluatedAt
        self.firedAt = firedAt
    }
}

extension Store {
    /// Every alert rule's last state, by name.
    public func alertStates() throws(StoreError) -> [String: AlertState] {
        try read { db in
            var states: [String: AlertState] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM alert_state") {
                let name: String = row["name"]
                states[name] = AlertState(name: name, value: row["value"], evaluatedAt: Date(storeSeconds: row["evaluated_at"]),
                                          firedAt: (row["fired_at"] as Double?).map(Date.init(storeSeconds:)))
            }
            return states
        }
    }

    /// Records rule states after an evaluation, in one transaction.
    public func saveAlertStates(_ states: [AlertState]) throws(StoreError) {
        try write { db in
            for state in states {
                try db.execute(sql: """
                    INSERT INTO alert_state (name, value, evaluated_at, fired_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, evaluated_at = excluded.evaluated_at, fired_at = excluded.fired_at
                    """,
                               arguments: [state.name, state.value, state.evaluatedAt.storeSeconds, state.firedAt?.storeSeconds])
            }
        }
    }
}
