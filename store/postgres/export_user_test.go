package postgres

// NewRowsLock is the advisory lock key that inserts of items and
// designation events take shared.
const NewRowsLock = newRowsLock
