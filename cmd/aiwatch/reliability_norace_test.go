//go:build !race

package main

// rssFactor scales the memory bounds of the reliability tests: the race
// detector multiplies a process's memory several times.
const rssFactor = 1
