package wsk_test

import (
	"errors"
	"fmt"

	"github.com/wskverify/wskverify/wsk"
)

func ExampleDecodeSockaddr() {
	// A SOCKADDR_IN as a C client passes it: family little-endian, port
	// big-endian, then the address and 8 bytes of padding.
	raw := []byte{0x02, 0x00, 0x23, 0x28, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	sa, err := wsk.DecodeSockaddr(raw)
	fmt.Println(wsk.FamilyName(sa.Family), sa, err)

	// The same bytes cut short fail with a typed error, never a panic.
	_, err = wsk.DecodeSockaddr(raw[:6])
	var se *wsk.SockaddrError
	fmt.Println(errors.As(err, &se), se.Len, errors.Is(err, wsk.ErrSockaddrShort))

	// Linux's AF_INET6 (10) is not a Windows family.
	_, err = wsk.DecodeSockaddr([]byte{10, 0, 0, 80})
	fmt.Println(err)
	// Output:
	// AF_INET 127.0.0.1:9000 <nil>
	// true 6 true
	// wsk: decode sockaddr (4 bytes, family 10): unknown address family
}

func ExampleNTSTATUS_String() {
	fmt.Println(wsk.StatusInvalidParameter)
	fmt.Println(wsk.NTSTATUS(0xC0000001))
	fmt.Println(wsk.StatusBufferOverflow.NTSuccess(), wsk.StatusEventPending.NTSuccess())
	// Output:
	// STATUS_INVALID_PARAMETER (0xC000000D)
	// NTSTATUS(0xC0000001, error)
	// false true
}

func ExampleParseStatus() {
	s, _ := wsk.ParseStatus("STATUS_CANCELLED")
	fmt.Println(s)
	s, _ = wsk.ParseStatus("0xC0000236")
	fmt.Println(s.Name())
	// Output:
	// STATUS_CANCELLED (0xC0000120)
	// STATUS_CONNECTION_REFUSED
}

func ExampleCategoryFromFlags() {
	for _, flags := range []uint32{0, 0x8, 0x3, 0x10} {
		c, ok := wsk.CategoryFromFlags(flags)
		fmt.Println(flags, c, ok)
	}
	// Output:
	// 0 basic true
	// 8 stream true
	// 3 basic false
	// 16 basic false
}

func ExampleBuf_Validate() {
	mdl := wsk.NewMDLChain([]byte("hello, world"), 5) // "hello" ", wor" "ld"
	fmt.Println(wsk.Buf{Mdl: mdl, Offset: 3, Length: 9}.Validate())
	fmt.Println(wsk.Buf{Mdl: mdl, Offset: 3, Length: 10}.Validate())
	fmt.Println(errors.Is(wsk.Buf{Length: 1}.Validate(), wsk.ErrBufNoMdl))

	data, _ := wsk.Buf{Mdl: mdl, Offset: 3, Length: 6}.Bytes()
	fmt.Printf("%q\n", data)
	// Output:
	// <nil>
	// wsk: WSK_BUF{offset 3, length 10, chain 12 bytes}: the length runs past the end of the MDL chain
	// true
	// "lo, wo"
}

func ExampleIRP_Cancel() {
	irp := wsk.NewIRP(func(irp *wsk.IRP) { fmt.Println("completed:", irp.IoStatus().Status) })
	_ = irp.Begin() // a provider takes the IRP and pends it...
	irp.SetCancelRoutine(func(irp *wsk.IRP) { irp.Complete(wsk.StatusCancelled, 0) })

	fmt.Println("cancel ran:", irp.Cancel()) // ...and the client cancels it
	fmt.Println("cancel again:", irp.Cancel(), "completions:", irp.Completions())
	// Output:
	// completed: STATUS_CANCELLED (0xC0000120)
	// cancel ran: true
	// cancel again: false completions: 1
}
