package route

// A trace allocates its result in a few blocks rather than a record at a
// time: the result, its recipients and copies, and the small records of
// its hops (events, filters, connections, certificates, SCLs) are carved
// from blocks that belong to that trace alone, so that results never
// share memory with each other or with the topology.

// outcomeBlock holds the small records of a trace's outcome (events,
// filters, connections, certificates and their names, SCLs); a trace
// starts a new one when one of its arrays is full.
type outcomeBlock struct {
	events                      [16]Event
	filters                     [8]Filter
	tls                         [6]TLS
	certs                       [3]Certificate
	names                       [8]string
	ints                        [2]int
	nTLS, nCerts, nNames, nInts int
	eventsUsed, filtersUsed     bool
}

// resultBlock is what a trace of a message with up to two recipients
// allocates at once: the result, its recipients and copies, the engine's
// per-recipient lists, and the first outcome block. The hops come apart:
// in the block they moved it to a larger size class, and the trace was
// measured slower for it (docs/performance.md).
type resultBlock struct {
	res    Result
	rcpts  [2]Recipient
	names  [2]string // the recipients as the message names them
	addr   [2]string // their envelope addresses as they change
	all    [2]int
	copies [2]Copy
	visits [2]visit
	outcomeBlock
}

// hopsPerPath is the room for hops each recipient's path gets in one
// shared backing array; a longer path grows its own.
const hopsPerPath = 6

// block returns the trace's current block, allocating the first.
func (e *engine) block() *outcomeBlock {
	if e.ob == nil {
		e.ob = new(outcomeBlock)
	}
	return e.ob
}

// newBlock starts a new block when the current one is full.
func (e *engine) newBlock() *outcomeBlock {
	e.ob = new(outcomeBlock)
	return e.ob
}

// newTLS returns a TLS record carved from the trace's blocks.
func (e *engine) newTLS() *TLS {
	b := e.block()
	if b.nTLS == len(b.tls) {
		b = e.newBlock()
	}
	b.nTLS++
	return &b.tls[b.nTLS-1]
}

// newInt returns a pointer to v carved from the trace's blocks.
func (e *engine) newInt(v int) *int {
	b := e.block()
	if b.nInts == len(b.ints) {
		b = e.newBlock()
	}
	b.ints[b.nInts] = v
	b.nInts++
	return &b.ints[b.nInts-1]
}

// newEvents returns a slice of n events carved from the trace's arena. The
// arena belongs to one trace: results never share memory.
func (e *engine) newEvents(n int) []Event {
	if cap(e.events)-len(e.events) < n {
		if b := e.block(); !b.eventsUsed && n <= len(b.events) {
			b.eventsUsed = true
			e.events = b.events[:0]
		} else {
			e.events = make([]Event, 0, max(16, n))
		}
	}
	l := len(e.events)
	e.events = e.events[:l+n]
	return e.events[l : l+n : l+n]
}

// newFilters returns an empty slice with room for n filters, carved from
// the trace's arena.
func (e *engine) newFilters(n int) []Filter {
	if cap(e.filters)-len(e.filters) < n {
		if b := e.block(); !b.filtersUsed && n <= len(b.filters) {
			b.filtersUsed = true
			e.filters = b.filters[:0]
		} else {
			e.filters = make([]Filter, 0, max(16, n))
		}
	}
	l := len(e.filters)
	e.filters = e.filters[:l+n]
	return e.filters[l : l : l+n]
}
