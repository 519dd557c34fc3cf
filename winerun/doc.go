// Package winerun runs a WSK agent under Wine so that the suite can judge
// Wine's own netio.sys: it makes a private Wine prefix in a temporary
// directory, loads the agent driver as a kernel service, keeps the Wine
// session alive, starts the user-mode relay and waits until it listens, and
// afterwards tears all of it down with `wineserver -k` for that prefix only.
//
// Every step that can fail returns a *StepError naming the step (finding
// wine, making the prefix, creating or starting the service, starting the
// relay, waiting for it), with the Win32 error `sc` reported where there is
// one (1053: DriverEntry did not return in time).
//
// The Wine session ends when its last user process exits, and with it
// services.exe, winedevice.exe and the driver. The launcher therefore starts
// a keep-alive process (`cmd /c pause` reading a pipe the launcher holds)
// before `sc start`: closing the pipe, or the launcher dying, ends the
// session on its own, so nothing outlives the launcher for long even when it
// is killed.
package winerun
