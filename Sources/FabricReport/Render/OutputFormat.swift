/// How results are printed: a table for people, JSON and CSV for machines.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}
