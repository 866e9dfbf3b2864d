// Package flock takes advisory flock(2) locks on open files, for the
// claims exports hold on their .partial files and directories (see
// cmd/feedvault and parquetexport). It depends on the standard library
// only; where flock is missing, File says errors.ErrUnsupported.
package flock
