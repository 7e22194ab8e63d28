import FabricWire
import FabricJSON

/// One request sent and not yet answered.
struct OutstandingRequest: Sendable, Equatable {
    enum Kind: UInt8, Sendable { case plain, read, atomic }

    /// Unwrapped PSN.
    var psn: Int64
    /// Time of the latest transmission (what an ACK's latency is measured from).
    var timeNs: Int64
    var kind: Kind
    var ackRequested: Bool
    /// Sent more than once: an ACK cannot say which copy it answers (Karn's rule).
    var retransmitted = false
}

/// Requests in flight, oldest first, in a ring buffer. PSNs only grow along the
/// queue, so a PSN is found by binary search. Bounded: when ACKs are missing from
/// the capture (one direction mirrored) the oldest entries are dropped and counted.
struct OutstandingRequests: Sendable, Equatable {
    static let capacity = 1 << 16

    private var storage: [OutstandingRequest] = []
    private var head = 0
    private(set) var count = 0
    /// Entries dropped unacknowledged because the queue was full.
    private(set) var dropped = 0

    var first: OutstandingRequest? { count == 0 ? nil : storage[head] }

    private func slot(_ index: Int) -> Int { (head + index) & (storage.count - 1) }

    mutating func append(_ request: OutstandingRequest) {
        if count == storage.count {
            if storage.count == OutstandingRequests.capacity {
                _ = removeFirst()
                dropped += 1
            } else {
                grow()
            }
        }
        storage[slot(count)] = request
        count += 1
    }

    mutating func removeFirst() -> OutstandingRequest {
        let request = storage[head]
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return request
    }

    /// Index of the entry with `psn`, or of the last entry before it when `atOrBefore`.
    func index(of psn: Int64, atOrBefore: Bool = false) -> Int? {
        var low = 0, high = count - 1, found: Int?
        while low <= high {
            let middle = (low + high) / 2
            let value = storage[slot(middle)].psn
            if value == psn { return middle }
            if value < psn {
                found = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return atOrBefore ? found : nil
    }

    subscript(index: Int) -> OutstandingRequest {
        get { storage[slot(index)] }
        set { storage[slot(index)] = newValue }
    }

    private mutating func grow() {
        let size = max(4, storage.count * 2)
        var fresh = [OutstandingRequest](
            repeating: OutstandingRequest(psn: 0, timeNs: 0, kind: .plain, ackRequested: false),
            count: size)
        for index in 0..<count { fresh[index] = storage[slot(index)] }
        storage = fresh
        head = 0
    }
}
