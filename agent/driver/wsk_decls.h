/* The Winsock Kernel declarations the agent needs, written from Microsoft's
 * documented layouts (wsk.h on learn.microsoft.com, x64 ABI). mingw-w64 ships
 * no ddk/wsk.h, and Wine's own header pulls in winsock2.h, which clashes with
 * ddk/ntddk.h, so the agent declares what it uses here.
 *
 * Every table is declared with all of its documented entries in documented
 * order: the agent reads the provider's tables by offset and builds client
 * tables the provider reads by offset, so a missing or misplaced member would
 * silently call the wrong function. */
#ifndef WSKAGENT_WSK_DECLS_H
#define WSKAGENT_WSK_DECLS_H

#include <ntddk.h>

#define WSKA_MAKE_WSK_VERSION(major, minor) ((USHORT)(((major) << 8) | ((minor) & 0xff)))
#define WSKA_INFINITE_WAIT 0xffffffffUL

/* WskSocket flags (socket categories). */
#define WSKA_FLAG_BASIC_SOCKET      0x00000000
#define WSKA_FLAG_LISTEN_SOCKET     0x00000001
#define WSKA_FLAG_CONNECTION_SOCKET 0x00000002
#define WSKA_FLAG_DATAGRAM_SOCKET   0x00000004
#define WSKA_FLAG_STREAM_SOCKET     0x00000008

/* Event masks of WSK_EVENT_CALLBACK_CONTROL. */
#define WSKA_EVENT_SEND_BACKLOG 0x00000010
#define WSKA_EVENT_RECEIVE      0x00000040
#define WSKA_EVENT_DISCONNECT   0x00000080
#define WSKA_EVENT_RECEIVE_FROM 0x00000100
#define WSKA_EVENT_ACCEPT       0x00000200
#define WSKA_EVENT_DISABLE      0x80000000

/* Flags a provider passes to event callbacks. */
#define WSKA_FLAG_AT_DISPATCH_LEVEL 0x00000008

typedef struct _WSKA_SOCKADDR {
    USHORT sa_family;
    CHAR sa_data[14];
} WSKA_SOCKADDR, *PWSKA_SOCKADDR;

/* CMSGHDR is only ever passed through as an opaque pointer. */
typedef struct _WSKA_CMSGHDR WSKA_CMSGHDR, *PWSKA_CMSGHDR;

typedef enum {
    WskSetOption,
    WskGetOption,
    WskIoctl,
    WskControlMax
} WSK_CONTROL_SOCKET_TYPE;

typedef enum {
    WskInspectReject,
    WskInspectAccept,
    WskInspectPend,
    WskInspectMax
} WSK_INSPECT_ACTION;

typedef struct _WSK_CLIENT WSK_CLIENT, *PWSK_CLIENT;

/* WSK_SOCKET: the provider's socket object; Dispatch points at the
 * provider's table of the socket's category. */
typedef struct _WSK_SOCKET {
    const VOID *Dispatch;
} WSK_SOCKET, *PWSK_SOCKET;

typedef struct _WSK_BUF {
    PMDL Mdl;
    ULONG Offset;
    SIZE_T Length;
} WSK_BUF, *PWSK_BUF;

typedef struct _WSK_BUF_LIST {
    struct _WSK_BUF_LIST *Next;
    WSK_BUF Buffer;
} WSK_BUF_LIST, *PWSK_BUF_LIST;

typedef struct _WSK_DATA_INDICATION {
    struct _WSK_DATA_INDICATION *Next;
    WSK_BUF Buffer;
} WSK_DATA_INDICATION, *PWSK_DATA_INDICATION;

typedef struct _WSK_DATAGRAM_INDICATION {
    struct _WSK_DATAGRAM_INDICATION *Next;
    WSK_BUF Buffer;
    PWSKA_CMSGHDR ControlInfo;
    ULONG ControlInfoLength;
    PWSKA_SOCKADDR RemoteAddress;
} WSK_DATAGRAM_INDICATION, *PWSK_DATAGRAM_INDICATION;

/* ADDRINFOEXW (ws2def.h): WskGetAddressInfo's hints and the entries of the
 * list it returns. The agent reads the provider's list only through
 * ai_next, ai_family, ai_socktype, ai_protocol, ai_flags, ai_addr and
 * ai_addrlen. */
typedef struct _WSKA_ADDRINFOEXW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    SIZE_T ai_addrlen;
    PWSTR ai_canonname;
    PWSKA_SOCKADDR ai_addr;
    PVOID ai_blob;
    SIZE_T ai_bloblen;
    GUID *ai_provider;
    struct _WSKA_ADDRINFOEXW *ai_next;
} WSKA_ADDRINFOEXW, *PWSKA_ADDRINFOEXW;

typedef struct _WSK_INSPECT_ID {
    ULONG_PTR Key;
    ULONG SerialNumber;
} WSK_INSPECT_ID, *PWSK_INSPECT_ID;

typedef struct _WSK_EVENT_CALLBACK_CONTROL {
    const GUID *NpiId;
    ULONG EventMask;
} WSK_EVENT_CALLBACK_CONTROL, *PWSK_EVENT_CALLBACK_CONTROL;

/* ---- the client's side: registration and event callbacks ---- */

typedef NTSTATUS (NTAPI *PFN_WSK_CLIENT_EVENT)(PVOID ClientContext, ULONG EventType,
        PVOID Information, SIZE_T InformationLength);

typedef struct _WSK_CLIENT_DISPATCH {
    USHORT Version;
    USHORT Reserved;
    PFN_WSK_CLIENT_EVENT WskClientEvent;
} WSK_CLIENT_DISPATCH, *PWSK_CLIENT_DISPATCH;

typedef struct _WSK_CLIENT_NPI {
    PVOID ClientContext;
    const WSK_CLIENT_DISPATCH *Dispatch;
} WSK_CLIENT_NPI, *PWSK_CLIENT_NPI;

typedef struct _WSK_REGISTRATION {
    ULONGLONG ReservedRegistrationState;
    PVOID ReservedRegistrationContext;
    KSPIN_LOCK ReservedRegistrationLock;
} WSK_REGISTRATION, *PWSK_REGISTRATION;

typedef struct _WSK_CLIENT_CONNECTION_DISPATCH WSK_CLIENT_CONNECTION_DISPATCH;

typedef NTSTATUS (NTAPI *PFN_WSK_ACCEPT_EVENT)(PVOID SocketContext, ULONG Flags,
        PWSKA_SOCKADDR LocalAddress, PWSKA_SOCKADDR RemoteAddress, PWSK_SOCKET AcceptSocket,
        PVOID *AcceptSocketContext, const WSK_CLIENT_CONNECTION_DISPATCH **AcceptSocketDispatch);
typedef WSK_INSPECT_ACTION (NTAPI *PFN_WSK_INSPECT_EVENT)(PVOID SocketContext,
        PWSKA_SOCKADDR LocalAddress, PWSKA_SOCKADDR RemoteAddress, PWSK_INSPECT_ID InspectID);
typedef NTSTATUS (NTAPI *PFN_WSK_ABORT_EVENT)(PVOID SocketContext, PWSK_INSPECT_ID InspectID);
typedef NTSTATUS (NTAPI *PFN_WSK_RECEIVE_FROM_EVENT)(PVOID SocketContext, ULONG Flags,
        PWSK_DATAGRAM_INDICATION DataIndication);
typedef NTSTATUS (NTAPI *PFN_WSK_RECEIVE_EVENT)(PVOID SocketContext, ULONG Flags,
        PWSK_DATA_INDICATION DataIndication, SIZE_T BytesIndicated, SIZE_T *BytesAccepted);
typedef NTSTATUS (NTAPI *PFN_WSK_DISCONNECT_EVENT)(PVOID SocketContext, ULONG Flags);
typedef NTSTATUS (NTAPI *PFN_WSK_SEND_BACKLOG_EVENT)(PVOID SocketContext, SIZE_T IdealBacklogSize);

typedef struct _WSK_CLIENT_LISTEN_DISPATCH {
    PFN_WSK_ACCEPT_EVENT WskAcceptEvent;
    PFN_WSK_INSPECT_EVENT WskInspectEvent;
    PFN_WSK_ABORT_EVENT WskAbortEvent;
} WSK_CLIENT_LISTEN_DISPATCH, *PWSK_CLIENT_LISTEN_DISPATCH;

typedef struct _WSK_CLIENT_DATAGRAM_DISPATCH {
    PFN_WSK_RECEIVE_FROM_EVENT WskReceiveFromEvent;
} WSK_CLIENT_DATAGRAM_DISPATCH, *PWSK_CLIENT_DATAGRAM_DISPATCH;

struct _WSK_CLIENT_CONNECTION_DISPATCH {
    PFN_WSK_RECEIVE_EVENT WskReceiveEvent;
    PFN_WSK_DISCONNECT_EVENT WskDisconnectEvent;
    PFN_WSK_SEND_BACKLOG_EVENT WskSendBacklogEvent;
};

typedef struct _WSK_CLIENT_STREAM_DISPATCH {
    const WSK_CLIENT_LISTEN_DISPATCH *Listen;
    const WSK_CLIENT_CONNECTION_DISPATCH *Connect;
} WSK_CLIENT_STREAM_DISPATCH, *PWSK_CLIENT_STREAM_DISPATCH;

/* ---- the provider's side ---- */

typedef NTSTATUS (NTAPI *PFN_WSK_SOCKET)(PWSK_CLIENT Client, USHORT AddressFamily,
        USHORT SocketType, ULONG Protocol, ULONG Flags, PVOID SocketContext, const VOID *Dispatch,
        PEPROCESS OwningProcess, PETHREAD OwningThread, PSECURITY_DESCRIPTOR SecurityDescriptor,
        PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_SOCKET_CONNECT)(PWSK_CLIENT Client, USHORT SocketType,
        ULONG Protocol, PWSKA_SOCKADDR LocalAddress, PWSKA_SOCKADDR RemoteAddress, ULONG Flags,
        PVOID SocketContext, const WSK_CLIENT_CONNECTION_DISPATCH *Dispatch,
        PEPROCESS OwningProcess, PETHREAD OwningThread, PSECURITY_DESCRIPTOR SecurityDescriptor,
        PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_CONTROL_CLIENT)(PWSK_CLIENT Client, ULONG ControlCode,
        SIZE_T InputSize, PVOID InputBuffer, SIZE_T OutputSize, PVOID OutputBuffer,
        SIZE_T *OutputSizeReturned, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_GET_ADDRESS_INFO)(PWSK_CLIENT Client, PUNICODE_STRING NodeName,
        PUNICODE_STRING ServiceName, ULONG NameSpace, GUID *Provider, PWSKA_ADDRINFOEXW Hints,
        PWSKA_ADDRINFOEXW *Result, PEPROCESS OwningProcess, PETHREAD OwningThread, PIRP Irp);
typedef VOID (NTAPI *PFN_WSK_FREE_ADDRESS_INFO)(PWSK_CLIENT Client, PWSKA_ADDRINFOEXW AddrInfo);
typedef NTSTATUS (NTAPI *PFN_WSK_GET_NAME_INFO)(PWSK_CLIENT Client, PWSKA_SOCKADDR SockAddr,
        ULONG SockAddrLength, PUNICODE_STRING NodeName, PUNICODE_STRING ServiceName, ULONG Flags,
        PEPROCESS OwningProcess, PETHREAD OwningThread, PIRP Irp);

typedef struct _WSK_PROVIDER_DISPATCH {
    USHORT Version;
    USHORT Reserved;
    PFN_WSK_SOCKET WskSocket;
    PFN_WSK_SOCKET_CONNECT WskSocketConnect;
    PFN_WSK_CONTROL_CLIENT WskControlClient;
    PFN_WSK_GET_ADDRESS_INFO WskGetAddressInfo;
    PFN_WSK_FREE_ADDRESS_INFO WskFreeAddressInfo;
    PFN_WSK_GET_NAME_INFO WskGetNameInfo;
} WSK_PROVIDER_DISPATCH, *PWSK_PROVIDER_DISPATCH;

typedef struct _WSK_PROVIDER_NPI {
    PWSK_CLIENT Client;
    const WSK_PROVIDER_DISPATCH *Dispatch;
} WSK_PROVIDER_NPI, *PWSK_PROVIDER_NPI;

typedef NTSTATUS (NTAPI *PFN_WSK_CONTROL_SOCKET)(PWSK_SOCKET Socket,
        WSK_CONTROL_SOCKET_TYPE RequestType, ULONG ControlCode, ULONG Level, SIZE_T InputSize,
        PVOID InputBuffer, SIZE_T OutputSize, PVOID OutputBuffer, SIZE_T *OutputSizeReturned,
        PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_CLOSE_SOCKET)(PWSK_SOCKET Socket, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_BIND)(PWSK_SOCKET Socket, PWSKA_SOCKADDR LocalAddress,
        ULONG Flags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_ACCEPT)(PWSK_SOCKET ListenSocket, ULONG Flags,
        PVOID AcceptSocketContext, const WSK_CLIENT_CONNECTION_DISPATCH *AcceptSocketDispatch,
        PWSKA_SOCKADDR LocalAddress, PWSKA_SOCKADDR RemoteAddress, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_INSPECT_COMPLETE)(PWSK_SOCKET ListenSocket,
        PWSK_INSPECT_ID InspectID, WSK_INSPECT_ACTION Action, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_GET_LOCAL_ADDRESS)(PWSK_SOCKET Socket,
        PWSKA_SOCKADDR LocalAddress, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_GET_REMOTE_ADDRESS)(PWSK_SOCKET Socket,
        PWSKA_SOCKADDR RemoteAddress, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_CONNECT)(PWSK_SOCKET Socket, PWSKA_SOCKADDR RemoteAddress,
        ULONG Flags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_CONNECT_EX)(PWSK_SOCKET Socket, PWSKA_SOCKADDR RemoteAddress,
        PWSK_BUF Buffer, ULONG Flags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_LISTEN)(PWSK_SOCKET Socket, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_SEND)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_RECEIVE)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_DISCONNECT)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_RELEASE_DATA_INDICATION_LIST)(PWSK_SOCKET Socket,
        PWSK_DATA_INDICATION DataIndication);
typedef NTSTATUS (NTAPI *PFN_WSK_SEND_EX)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        ULONG ControlInfoLength, PWSKA_CMSGHDR ControlInfo, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_RECEIVE_EX)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        PULONG ControlInfoLength, PWSKA_CMSGHDR ControlInfo, PULONG ControlFlags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_SEND_TO)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        PWSKA_SOCKADDR RemoteAddress, ULONG ControlInfoLength, PWSKA_CMSGHDR ControlInfo, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_RECEIVE_FROM)(PWSK_SOCKET Socket, PWSK_BUF Buffer, ULONG Flags,
        PWSKA_SOCKADDR RemoteAddress, PULONG ControlLength, PWSKA_CMSGHDR ControlInfo,
        PULONG ControlFlags, PIRP Irp);
typedef NTSTATUS (NTAPI *PFN_WSK_RELEASE_DATAGRAM_INDICATION_LIST)(PWSK_SOCKET Socket,
        PWSK_DATAGRAM_INDICATION DatagramIndication);
typedef NTSTATUS (NTAPI *PFN_WSK_SEND_MESSAGES)(PWSK_SOCKET Socket, PWSK_BUF_LIST BufferList,
        ULONG Flags, PWSKA_SOCKADDR RemoteAddress, ULONG ControlInfoLength,
        PWSKA_CMSGHDR ControlInfo, PIRP Irp);

typedef struct _WSK_PROVIDER_BASIC_DISPATCH {
    PFN_WSK_CONTROL_SOCKET WskControlSocket;
    PFN_WSK_CLOSE_SOCKET WskCloseSocket;
} WSK_PROVIDER_BASIC_DISPATCH, *PWSK_PROVIDER_BASIC_DISPATCH;

typedef struct _WSK_PROVIDER_LISTEN_DISPATCH {
    WSK_PROVIDER_BASIC_DISPATCH Basic;
    PFN_WSK_BIND WskBind;
    PFN_WSK_ACCEPT WskAccept;
    PFN_WSK_INSPECT_COMPLETE WskInspectComplete;
    PFN_WSK_GET_LOCAL_ADDRESS WskGetLocalAddress;
} WSK_PROVIDER_LISTEN_DISPATCH, *PWSK_PROVIDER_LISTEN_DISPATCH;

typedef struct _WSK_PROVIDER_DATAGRAM_DISPATCH {
    WSK_PROVIDER_BASIC_DISPATCH Basic;
    PFN_WSK_BIND WskBind;
    PFN_WSK_SEND_TO WskSendTo;
    PFN_WSK_RECEIVE_FROM WskReceiveFrom;
    PFN_WSK_RELEASE_DATAGRAM_INDICATION_LIST WskRelease;
    PFN_WSK_GET_LOCAL_ADDRESS WskGetLocalAddress;
    PFN_WSK_SEND_MESSAGES WskSendMessages;
} WSK_PROVIDER_DATAGRAM_DISPATCH, *PWSK_PROVIDER_DATAGRAM_DISPATCH;

typedef struct _WSK_PROVIDER_CONNECTION_DISPATCH {
    WSK_PROVIDER_BASIC_DISPATCH Basic;
    PFN_WSK_BIND WskBind;
    PFN_WSK_CONNECT WskConnect;
    PFN_WSK_GET_LOCAL_ADDRESS WskGetLocalAddress;
    PFN_WSK_GET_REMOTE_ADDRESS WskGetRemoteAddress;
    PFN_WSK_SEND WskSend;
    PFN_WSK_RECEIVE WskReceive;
    PFN_WSK_DISCONNECT WskDisconnect;
    PFN_WSK_RELEASE_DATA_INDICATION_LIST WskRelease;
    PFN_WSK_CONNECT_EX WskConnectEx;
    PFN_WSK_SEND_EX WskSendEx;
    PFN_WSK_RECEIVE_EX WskReceiveEx;
} WSK_PROVIDER_CONNECTION_DISPATCH, *PWSK_PROVIDER_CONNECTION_DISPATCH;

typedef struct _WSK_PROVIDER_STREAM_DISPATCH {
    WSK_PROVIDER_BASIC_DISPATCH Basic;
    PFN_WSK_BIND WskBind;
    PFN_WSK_ACCEPT WskAccept;
    PFN_WSK_CONNECT WskConnect;
    PFN_WSK_LISTEN WskListen;
    PFN_WSK_SEND WskSend;
    PFN_WSK_RECEIVE WskReceive;
    PFN_WSK_DISCONNECT WskDisconnect;
    PFN_WSK_RELEASE_DATA_INDICATION_LIST WskRelease;
    PFN_WSK_GET_LOCAL_ADDRESS WskGetLocalAddress;
    PFN_WSK_GET_REMOTE_ADDRESS WskGetRemoteAddress;
    PFN_WSK_CONNECT_EX WskConnectEx;
    PFN_WSK_SEND_EX WskSendEx;
    PFN_WSK_RECEIVE_EX WskReceiveEx;
} WSK_PROVIDER_STREAM_DISPATCH, *PWSK_PROVIDER_STREAM_DISPATCH;

/* netio exports (libnetio.a). */
NTSTATUS NTAPI WskRegister(PWSK_CLIENT_NPI WskClientNpi, PWSK_REGISTRATION WskRegistration);
NTSTATUS NTAPI WskCaptureProviderNPI(PWSK_REGISTRATION WskRegistration, ULONG WaitTimeout,
        PWSK_PROVIDER_NPI WskProviderNpi);
VOID NTAPI WskReleaseProviderNPI(PWSK_REGISTRATION WskRegistration);
VOID NTAPI WskDeregister(PWSK_REGISTRATION WskRegistration);

#endif
