//go:build race

package extractor

// raceDetector: the race detector slows extraction some tenfold, so the
// heaviest real-page tests measure a sample of the pages under it.
const raceDetector = true
