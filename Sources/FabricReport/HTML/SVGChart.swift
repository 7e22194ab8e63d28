import FabricMetrics
import FabricStats
import Foundation

/// A small, dependency-free SVG line chart: enough for percentile curves, CDFs and
/// time series in a self-contained HTML page (no scripts, no network fetches).
struct SVGChart {
    enum Scale { case linear, logarithmic }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Consecutive points further apart in x than this are not joined: an empty
        /// window is a gap in the data, not a ramp between its neighbours.
        var gapAbove: Double? = nil
    }

    /// Said instead of drawing when every value of every series is zero (an axis
    /// scaled to nothing would only show rounding noise).
    var allZeroMessage: String?

    var title: String
    var xLabel: String
    var yLabel: String
    var xScale = Scale.linear
    var yScale = Scale.linear
    /// Tick labels at given x values (for axes like 1/(1−p)).
    var xTicks: [(value: Double, label: String)]?
    var series: [Series] = []
    var width = 720.0, height = 360.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    /// The right margin holds the legend: as wide as its longest name, so that no
    /// name is cut.
    var margin: (left: Double, right: Double, top: Double, bottom: Double) {
        let longest = series.map(\.name.count).max() ?? 0
        return (70, max(120, 44 + Double(longest) * 6.6), 36, 48)
    }

    private func transform(_ value: Double, _ scale: Scale) -> Double {
        scale == .logarithmic ? log10(max(value, 1e-12)) : value
    }

    func render() -> String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard !all.isEmpty else {
            return "<p class=\"empty\">\(escape(title)): no data.</p>"
        }
        if let allZeroMessage, all.allSatisfy({ $0.y == 0 }) {
            return "<p class=\"empty\">\(escape(title)): \(escape(allZeroMessage)).</p>"
        }
        let margin = self.margin
        let width = self.width + margin.right - 170
        var xs = all.map { transform($0.x, xScale) }, ys = all.map { transform($0.y, yScale) }
        if let xTicks { xs += xTicks.map { transform($0.value, xScale) } }
        if yScale == .linear { ys.append(0) }
        let (x0, x1) = (xs.min()!, max(xs.max()!, xs.min()! + 1e-9))
        let (y0, y1) = (ys.min()!, max(ys.max()!, ys.min()! + 1e-9) * (yScale == .linear ? 1.05 : 1))
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (transform(x, xScale) - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + plotHeight - (transform(y, yScale) - y0) / (y1 - y0) * plotHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += text(width / 2 - margin.right / 2, 20, title, anchor: "middle", size: 15, weight: "bold")
        // Axes and grid.
        let yTicks = ticks(from: y0, to: y1, log: yScale == .logarithmic)
        let yLabels = labels(yTicks, log: yScale == .logarithmic)
        for (tick, label) in zip(yTicks, yLabels) {
            let y = margin.top + plotHeight - (tick - y0) / (y1 - y0) * plotHeight
            svg += line(margin.left, y, margin.left + plotWidth, y, color: "#e5e5e5")
            svg += text(margin.left - 6, y + 4, label, anchor: "end")
        }
        let xTickValues: [(Double, String)] = xTicks.map { $0.map { (transform($0.value, xScale), $0.label) } }
            ?? { let ticks = ticks(from: x0, to: x1, log: xScale == .logarithmic)
                 return Array(zip(ticks, labels(ticks, log: xScale == .logarithmic))) }()
        for (tick, label) in xTickValues {
            let x = margin.left + (tick - x0) / (x1 - x0) * plotWidth
            svg += line(x, margin.top, x, margin.top + plotHeight, color: "#f0f0f0")
            svg += text(x, margin.top + plotHeight + 16, label, anchor: "middle")
        }
        svg += line(margin.left, margin.top + plotHeight, margin.left + plotWidth, margin.top + plotHeight, color: "#333")
        svg += line(margin.left, margin.top, margin.left, margin.top + plotHeight, color: "#333")
        svg += text(margin.left + plotWidth / 2, height - 8, xLabel, anchor: "middle")
        svg += "<text x=\"14\" y=\"\(fmt(margin.top + plotHeight / 2))\" font-size=\"12\" font-family=\"sans-serif\" "
            + "text-anchor=\"middle\" transform=\"rotate(-90 14 \(fmt(margin.top + plotHeight / 2)))\">\(escape(yLabel))</text>"
        // Series and legend.
        for (index, entry) in series.enumerated() {
            let color = SVGChart.palette[index % SVGChart.palette.count]
            let finite = entry.points.filter { $0.x.isFinite && $0.y.isFinite }
            var runs: [[(x: Double, y: Double)]] = []
            for point in finite {
                if let gap = entry.gapAbove, let last = runs.last?.last, point.x - last.x > gap {
                    runs.append([point])
                } else if runs.isEmpty {
                    runs.append([point])
                } else {
                    runs[runs.count - 1].append(point)
                }
            }
            for run in runs {
                if run.count == 1 {
                    svg += "<circle cx=\"\(fmt(px(run[0].x)))\" cy=\"\(fmt(py(run[0].y)))\" r=\"1.8\" fill=\"\(color)\"/>"
                    continue
                }
                let points = run.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(points)\"/>"
            }
            let legendY = margin.top + 14 + Double(index) * 16
            svg += line(width - margin.right + 12, legendY - 4, width - margin.right + 30, legendY - 4, color: color, width: 3)
            svg += text(width - margin.right + 34, legendY, entry.name)
        }
        return svg + "</svg>"
    }

    /// At most this many ticks on an axis, whatever the data.
    static let maximumTicks = 40

    /// Round-numbered ticks between `low` and `high`, counted by index: adding a step
    /// to a large value can be lost to rounding (a 2 µs burst an hour into a capture),
    /// so a loop that adds steps might never end.
    private func ticks(from low: Double, to high: Double, log: Bool) -> [Double] {
        guard low.isFinite, high.isFinite, high >= low else { return [] }
        if log {
            let first = low.rounded(.up), last = high.rounded(.down)
            guard last >= first else { return [first] }
            let count = min(Int(last - first) + 1, SVGChart.maximumTicks)
            return (0..<count).map { first + Double($0) }
        }
        let raw = (high - low) / 5
        guard raw > 0, raw.isNormal else { return [low] }
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = (low / step).rounded(.up), last = ((high + step * 1e-9) / step).rounded(.down)
        guard first.isFinite, last.isFinite, last >= first else { return [low] }
        let count = min(Int(min(last - first, Double(SVGChart.maximumTicks))) + 1, SVGChart.maximumTicks)
        return (0..<count).map { (first + Double($0)) * step }
    }

    /// Tick labels with as many decimals as the step between ticks needs, so that
    /// neighbours never read alike ("740, 7.4e+02, 7.4e+02" on a sparse capture) and
    /// small values stay numbers ("0.008", not "8e-03"); a log axis shows its decades.
    private func labels(_ ticks: [Double], log: Bool) -> [String] {
        if log { return ticks.map { format(pow(10, $0)) } }
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : abs(ticks.first ?? 1)
        let decimals = step > 0 && step.isFinite ? min(9, max(0, Int((-log10(step)).rounded(.up)))) : 0
        let large = ticks.map(abs).max() ?? 0
        if large >= 1e7 { return ticks.map { Printf.format("%.3g", $0) } }
        return ticks.map { $0 == 0 ? "0" : Printf.format("%.\(decimals)f", $0) }
    }

    private func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) >= 1e6 || abs(value) < 1e-2 { return Printf.format("%.0e", value) }
        return value == value.rounded() ? String(Int(value)) : Printf.format("%.2g", value)
    }

    private func fmt(_ value: Double) -> String { Printf.format("%.1f", value) }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1) -> String {
        "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(color)\" stroke-width=\"\(width)\"/>"
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Int = 11,
                      weight: String = "normal") -> String {
        "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(size)\" font-weight=\"\(weight)\" font-family=\"sans-serif\" "
            + "text-anchor=\"\(anchor)\">\(escape(content))</text>"
    }
}

