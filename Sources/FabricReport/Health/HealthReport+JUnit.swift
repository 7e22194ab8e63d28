import FabricHealth
import Foundation

extension HealthReport {
    /// JUnit XML: one test case per check, a `<failure>` for `fail`; a `warn` passes
    /// with its message in `<system-out>` (JUnit has no warning state), so CI systems
    /// show the night like a test run.
    public func junitText(timestamp: Date = Date()) -> String {
        let failures = checks.filter { $0.status == .fail }.count
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"fabricscope health\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        xml += "  <testsuite name=\"\(escapeXML(label))\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\" "
            + "skipped=\"0\" timestamp=\"\(formatter.string(from: timestamp))\">\n"
        for check in checks {
            xml += "    <testcase classname=\"fabricscope.\(escapeXML(check.scopeName))\" name=\"\(escapeXML(check.name))\">"
            switch check.status {
            case .fail:
                xml += "\n      <failure message=\"\(escapeXML(check.message))\" type=\"fail\">\(escapeXML(check.message))</failure>\n    "
            case .warn:
                xml += "\n      <system-out>WARN: \(escapeXML(check.message))</system-out>\n    "
            case .ok:
                break
            }
            xml += "</testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
