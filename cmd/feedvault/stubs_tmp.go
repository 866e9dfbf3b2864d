package main

import "context"

func cmdRun(ctx context.Context, e *env, args []string) int    { return 0 }
func cmdDaemon(ctx context.Context, e *env, args []string) int { return 0 }
func cmdQuery(ctx context.Context, e *env, args []string) int  { return 0 }
func cmdShow(ctx context.Context, e *env, args []string) int   { return 0 }
func cmdFeeds(ctx context.Context, e *env, args []string) int  { return 0 }
