import Foundation
import XCTest

/// Validates JSON documents against one of docs/schema/ with Python's `jsonschema`
/// (Draft 2020-12): an independent validator. Missing, it skips the test — and fails
/// it under CI, where a missing checker must never pass silently.
public enum SchemaValidator {
    /// Validates the files at `documents` against `docs/schema/<schema>`; returns how
    /// many were valid (every one, or the call fails the test).
    @discardableResult
    public static func validate(_ documents: [String], schema: String,
                                file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let probe = try Run.program(python, ["python3", "-c", "import jsonschema"])
        if probe.status != 0 {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("python3 jsonschema missing: \(probe.stderr)", file: file, line: line)
            }
            throw XCTSkip("python3 with jsonschema is not available")
        }
        let schemaPath = Run.repository.appendingPathComponent("docs/schema/" + schema).path
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
            print(len(sys.argv) - 2)
            """
        let result = try Run.program(python, ["python3", "-c", script, schemaPath] + documents)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let valid = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertEqual(valid, documents.count, "documents validated", file: file, line: line)
        return valid
    }

    /// A written document read back as a JSON object (for checks beyond the schema).
    public static func object(at path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try XCTUnwrap(object as? [String: Any])
    }
}
