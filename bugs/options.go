package bugs

import "github.com/wskverify/wskverify/wsk"

// The planted bugs of the OPT- family (the options and I/O controls of
// issue 15).

// optionBug changes what a successful WskControlSocket reports:
// option-readback-flipped flips the lowest bit of a ULONG option read back
// (OPT-02); backlog-info-ulong reports a backlog query's SIZE_T as a ULONG
// (OPT-06).
func optionBug(k kind, cc *callCtx, ok bool, info uintptr) uintptr {
	if !ok || cc.op != opControlSocket {
		return info
	}
	switch {
	case k == kOptionReadBackFlipped && cc.getOption && info >= 4 && len(cc.out) >= 4:
		cc.out[0] ^= 1
	case k == kBacklogInfoULong && cc.ioctl && (cc.code == wsk.SioWskQueryReceiveBacklog || cc.code == wsk.SioWskQueryIdealSendBacklog):
		info = 4
	}
	return info
}

// refuse fails a call at once with st, its IRP completed with it
// (sendto-null-refused).
func (s *sockState) refuse(irp *wsk.IRP, st wsk.NTSTATUS) wsk.NTSTATUS {
	return s.w.call(irp, &callCtx{sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS {
		if sh != nil {
			_ = sh.Begin()
			sh.Complete(st, 0)
		}
		return st
	})
}
