package properties

import "strings"

// Lacker is a provider that declares what it lacks up front (a remote
// session, from the agent's handshake): features named as model.Feature
// names them, an entry point alone ("WskControlSocket") standing for all of
// its features.
type Lacker interface{ Lacks() []string }

// lacks says whether the provider lacks a feature: declared up front, or
// answered STATUS_NOT_IMPLEMENTED with its IRP completed earlier in this
// run (model.Coverage.Unsupported). The machine's habits (a
// WskGetLocalAddress after every bind) then stop asking for it. Drawn
// actions are not skipped: a skip shortens rapid's runs, while a call
// answered "unsupported" costs one cheap step and changes nothing.
func (m *machine) lacks(feature string) bool {
	if l, ok := m.sub.(Lacker); ok {
		for _, d := range l.Lacks() {
			if feature == d || strings.HasPrefix(feature, d+"(") {
				return true
			}
		}
	}
	return m.h.Coverage().Unsupported()[feature] > 0
}
