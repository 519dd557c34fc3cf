package wire

import "fmt"

// Decode reads any frame's body by its type and returns the message: the
// body types of this package, a uint32 or bool for the one-field bodies,
// struct{}{} for empty ones, a string for LOG. Unknown types are E_TYPE.
func Decode(f Frame) (any, error) {
	switch f.Type {
	case THello:
		return DecodeHello(f)
	case THello | ReplyBit:
		return DecodeHelloReply(f)
	case TPolicy:
		return DecodePolicy(f)
	case TRegister:
		return DecodeRegister(f)
	case TCapture:
		return DecodeCapture(f)
	case TCapture | ReplyBit:
		return DecodeCaptureReply(f)
	case TRegister | ReplyBit:
		return DecodeU32(f, "status")
	case TReleaseNPI, TDeregister:
		return DecodeU32(f, "reg")
	case TCancel, TIRPFree:
		return DecodeU32(f, "irp")
	case TIRPReuse | ReplyBit:
		return DecodeU32(f, "result")
	case TCancel | ReplyBit:
		return DecodeBool(f, "result")
	case TIRPReuse:
		return DecodeIRPReuse(f)
	case TStage:
		return DecodeStage(f)
	case TQuiet:
		return DecodeQuiet(f)
	case TCall:
		return DecodeCall(f)
	case TCall | ReplyBit:
		return DecodeCallReply(f)
	case TPolicy | ReplyBit, TReleaseNPI | ReplyBit, TDeregister | ReplyBit, TStage | ReplyBit,
		TIRPFree | ReplyBit, TPing, TPing | ReplyBit, TBye, TBye | ReplyBit, TQuiet | ReplyBit:
		return struct{}{}, DecodeEmpty(f)
	case TIRPDone:
		return DecodeIRPDone(f)
	case TIRPData:
		return DecodeIRPData(f)
	case TEvent:
		return DecodeEvent(f)
	case TLog:
		return DecodeLog(f)
	case TError:
		return DecodeError(f)
	}
	return nil, &Error{Code: EType, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("unknown frame type 0x%02X", uint16(f.Type))}
}
