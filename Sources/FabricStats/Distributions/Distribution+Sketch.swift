extension Distribution {
    /// The distribution as a `LogSketch` (each HdrHistogram bucket's samples filed
    /// at its middle value), for code that pools sketches and has no per-window data.
    public func logSketch() -> LogSketch {
        var sketch = LogSketch()
        guard count > 0 else { return sketch }
        for value in histogram.recordedValues() where value.count > 0 {
            let middle = Int64(histogram.medianEquivalentForValue(value.value))
            sketch.add(bucket: LogSketch.bucket(of: middle), count: UInt32(clamping: value.count))
        }
        return sketch
    }
}
