# comake-bot 한국어 응답. 사용자에게 보이는 모든 문장은 이 파일과 en.ftl에 있습니다.

## 오류
error-internal = 처리 중에 문제가 생겼습니다. 계속 같은 문제가 생기면 서버 관리자에게 이 오류 번호를 알려 주세요: `{ $id }`
error-store-down = 지금 봇의 저장소가 응답하지 않습니다. 잠시 후 다시 시도해 주세요. 계속 같은 문제가 생기면 서버 관리자에게 이 오류 번호를 알려 주세요: `{ $id }`
error-comake-down = 지금 코메이크가 응답하지 않습니다. { $changed ->
    [no] 아무것도 바뀌지 않았습니다.
   *[maybe] 요청이 처리되었는지 알 수 없으니, 다시 시도하기 전에 `/계약 보기`로 확인해 주세요.
  } 잠시 후 다시 시도해 주세요. (오류 번호 `{ $id }`)
error-comake-auth = 봇이 코메이크에 로그인하지 못했습니다. API 키가 바뀌었을 수 있으니 서버 관리자에게 알려 주세요. (오류 번호 `{ $id }`)
error-rate-limited = 요청이 너무 잦습니다. 몇 초 뒤에 다시 시도해 주세요.
error-not-linked = 디스코드 계정이 아직 코메이크에 연결되지 않았습니다. `/코메이크 가입`으로 코메이크 사용자를 새로 만들거나, 이미 계정이 있다면 서버 관리자에게 `/코메이크-관리 연결`로 연결해 달라고 요청해 주세요.
error-guild-not-allowed = 이 봇은 회사의 디스코드 서버에서만 쓸 수 있으며, 이 서버는 그중 하나가 아닙니다.
error-unknown-command = 알 수 없는 명령입니다. 봇이 방금 업데이트되었을 수 있으니 잠시 후 다시 시도해 주세요.
error-not-admin = 서버 관리 권한이 있는 사람만 이 명령을 쓸 수 있습니다.
error-guild-only = 이 명령은 서버 안에서만 쓸 수 있습니다.
error-dm-not-allowed = 이 봇은 회사 디스코드 서버에서만 쓸 수 있고, 개인 메시지(DM)에서는 쓸 수 없습니다.
error-dm-not-member = 이 버튼은 회사 디스코드 서버의 멤버만 쓸 수 있는데, 지금은 그 서버의 멤버가 아닙니다.
error-member-check = 회사 서버에 아직 속해 있는지 디스코드에 확인하지 못해서 아무것도 하지 않았습니다. 잠시 후 다시 시도해 주세요.
error-not-admin-role = 봇 관리자 역할이 있는 사람만 이 명령을 쓸 수 있습니다. 필요하면 서버 관리자에게 요청해 주세요.
error-register-mismatch = 코메이크가 인증한 주소와 다른 이메일 주소로 응답해서 아무것도 연결하지 않았습니다. 서버 관리자에게 알려 주세요. (오류 번호 `{ $id }`)

## 입력 확인
invalid-email = 이메일 주소가 올바르지 않습니다. 확인 후 다시 입력해 주세요.
invalid-email-local = 이메일 주소의 @ 앞부분에는 영문자, 숫자와 . _ + - 만 쓸 수 있습니다 (예: kim.cs@company.example).
invalid-name = 이름은 1~100자여야 합니다.
invalid-phone = 전화번호는 숫자 8~15자리여야 합니다. `+`, `-`, 공백은 써도 됩니다.
invalid-password = 열람시 암호는 64자 이하여야 합니다.
invalid-message = 메시지는 500자 이하여야 합니다.
invalid-reason = 사유는 500자 이하여야 합니다.
invalid-kakao-needs-phone = 카카오톡 알림을 보내려면 전화번호가 필요합니다.
invalid-contract = 내 계약 중에 그런 계약이 없습니다. 계약 이름을 입력한 뒤 목록에서 골라 주세요.
invalid-domain = 직접 가입은 { $domains } 주소만 가능합니다. 서버 관리자에게 연결을 요청해 주세요.
invalid-page = 없는 페이지입니다.

## 계정 연결
register-disabled = 이 서버에서는 직접 가입을 받지 않습니다. 서버 관리자에게 `/코메이크-관리 연결`로 코메이크 사용자를 연결하거나, `/코메이크-관리 등록`으로 새로 만들어 달라고 요청해 주세요.
register-code-sent = { $email } 주소가 메일을 받을 수 있는 주소라면, 그 주소로 8자리 인증 코드를 보냈습니다. 코드는 { $minutes }분 동안 쓸 수 있으니, 받으면 **코드 입력**을 눌러 주세요. 코드를 입력하기 전에는 아무것도 연결되지 않습니다.
register-enter-code = 코드 입력
register-code-title = 이메일 인증
register-code-label = 메일로 받은 8자리 코드
register-code-none = 기다리는 인증 코드가 없거나 만료되었습니다. `/코메이크 가입`을 다시 실행해 새 코드를 받아 주세요.
register-code-wrong = 코드가 맞지 않습니다. { $left }번 더 시도할 수 있습니다.
register-code-locked = 마지막 시도가 틀려서 이 코드는 더 이상 쓸 수 없습니다. `/코메이크 가입`을 다시 실행해 새 코드를 받아 주세요.
register-code-expired = 인증 코드가 만료되었습니다. `/코메이크 가입`을 다시 실행해 새 코드를 받아 주세요.
register-too-many = 최근에 인증 코드를 너무 많이 요청했습니다. { $minutes }분 뒤에 다시 시도해 주세요.
mail-code-subject = 코메이크 봇 인증 코드
mail-code-body = 안녕하세요.

    디스코드 사용자 { $user } 님이 회사의 코메이크 봇에서 이 이메일 주소를 자신의 디스코드 계정에 연결하려고 합니다.

    인증 코드: { $code }

    { $minutes }분 안에 디스코드에 입력해 주세요. 직접 요청하지 않았다면 이 메일을 무시하세요. 코드 없이는 아무것도 연결되지 않으며, 회사에서 이 코드를 묻는 일은 없습니다.
register-already-linked = 이미 코메이크 { $email } 계정에 연결되어 있습니다. 다른 계정을 연결하려면 먼저 `/코메이크 연결해제`를 실행해 주세요.
register-email-exists = 이 이메일로 된 코메이크 사용자가 이미 있습니다. 기존 코메이크 계정은 디스코드에서 직접 가져올 수 없으니, 서버 관리자에게 `/코메이크-관리 연결`로 연결해 달라고 요청해 주세요.
register-email-linked = 이 이메일은 이미 다른 디스코드 계정에 연결되어 있습니다. 잘못된 것이라면 서버 관리자에게 문의해 주세요.
register-done = 완료! 디스코드 계정이 새 코메이크 사용자 **{ $name }** ({ $email })에 연결되었습니다. `/계약 새계약`으로 첫 계약을 올려 보세요.
whoami-linked = 코메이크 **{ $name }** ({ $email }) 계정에 { $since }부터 연결되어 있습니다. { $method ->
    [admin] <@{ $by }> 님이 연결했습니다.
   *[self] 직접 가입했습니다.
  }
unlink-done = 디스코드 계정과 { $email }의 연결을 끊었습니다. 코메이크 계정과 계약은 그대로입니다.
unlink-none = 디스코드 계정이 코메이크에 연결되어 있지 않았습니다.
unlink-ask = 디스코드 계정과 코메이크 사용자 { $email }의 연결을 끊을까요? 여기서 계약 명령을 더 쓸 수 없게 되며, 코메이크 계정과 계약은 그대로 남습니다. 이 코메이크 사용자를 다시 연결하려면 서버 관리자가 해 주어야 합니다(`/코메이크-관리 연결`).
button-unlink = 연결 끊기

## 링크
link-new = 새 계약을 올릴 비공개 링크입니다. 문서를 올리고 서명란을 설정한 뒤, 계약 이름을 정해 저장하세요.
link-edit = **{ $name }**의 계약 변경 링크입니다(비공개). 계약 변경에서는 문서와 서명란을 바꿀 수 있습니다.
link-warning = 이 링크를 열면 한 시간 동안 { $email } 계정으로 코메이크에 로그인됩니다. 다른 사람과 공유하지 마세요.
link-button-new = 계약 올리기
link-button-edit = 계약 변경하기

## 상태
state-saved = 저장됨
state-approving = 결재중
state-approval_cancelled = 결재요청 취소
state-approval_rejected = 결재 반려
state-approved = 결재됨
state-signing = 체결중
state-sign_cancelled = 서명요청 취소
state-sign_rejected = 서명 반려
state-completed = 체결됨
state-unknown = 알 수 없는 상태
tab-all = 전체
tab-preparing = 체결 준비중
tab-signing = 체결중
tab-completed = 체결됨
tab-stopped = 중단됨
hint-signing = 먼저 `/계약 서명요청취소`로 서명요청을 취소해 주세요.
hint-approving = 내부 결재가 끝날 때까지 기다려 주세요. 결재 요청은 코메이크 웹사이트에서 취소할 수 있습니다.
hint-completed = 모든 당사자가 서명해 체결된 계약이라 더 이상 바꿀 수 없습니다.
hint-other = 자세한 이유는 코메이크 웹사이트에서 확인해 주세요.
hint-not-out = 취소할 서명요청이 없습니다.
signee-waiting = 대기중
signee-viewed = 열람함
signee-signed = 서명함
signee-rejected = 반려함
signee-unknown = 알 수 없음

## 목록과 보기
list-empty = 이 목록({ $tab })에는 계약이 없습니다. `/계약 새계약`으로 계약을 올려 보세요.
list-header = 내 계약 ({ $tab }) { $pages }쪽 중 { $page }쪽 (모두 { $total }건):
list-line = **{ $name }** · { $state } · { $text } · { $when } 변경
list-line-plain = **{ $name }** · { $state } · { $when } 변경
list-received = (받은 계약)
button-previous = 이전
button-next = 다음
show-header = **{ $name }** · { $state }
show-role-sender = 내가 보낸 계약입니다.
show-role-sender-unsent = 내 계약입니다. 아직 서명요청 전입니다.
show-role-receiver = 나에게 온 계약입니다.
show-parties = **당사자와 서명자**
show-party = { $party }: { $signee }
show-no-signee = 서명자 없음
approval-line = **결재선**
approver-line = { $order }. { $name } · { $state }
approver-next = { $order }. { $name } · { $state } ← 다음 차례
approver-waiting = 결재 대기중
approver-approved = 결재 완료
approver-rejected = 결재 반려
approver-unknown = 알 수 없음
approver-fallback = 결재자 { $n }
show-signee = { $name } ({ $email }) · { $status }
show-signee-unsent = { $name } ({ $email })
show-history = **최근 기록**
show-event = { $when } · { $what }
show-event-said = { $event }: “{ $message }”
button-edit = 계약 변경
button-request = 서명요청
button-cancel-sign = 서명요청 취소
button-delete = 삭제
button-confirm = 확인
button-send = 보내기
button-never-mind = 그만두기

## 작업
rename-done = 계약 이름을 **{ $name }**(으)로 바꿨습니다. 이 이름은 나에게만 보입니다. 다른 당사자에게는 그쪽에서 붙인 계약 이름이 그대로 보입니다.
delete-confirm = **{ $name }**을(를) 삭제할까요? 삭제하면 디스코드에서는 되돌릴 수 없습니다.
delete-confirm-trash = **{ $name }**을(를) 코메이크 휴지통으로 옮길까요? 코메이크 웹사이트의 휴지통에서 되살릴 수 있습니다.
delete-done = **{ $name }**을(를) 삭제했습니다. 디스코드에서는 되돌릴 수 없습니다.
cancel-confirm = **{ $name }**의 서명요청을 취소할까요? 서명자는 더 이상 서명할 수 없습니다.
cancel-done = **{ $name }**의 서명요청을 취소했습니다.
confirm-expired = 이 확인 요청은 만료되었거나 이미 처리되었습니다. 명령을 다시 실행해 주세요.
confirm-dismissed = 알겠습니다. 아무것도 바꾸지 않았습니다.
not-owner = **{ $name }**을(를) 보낸 사람만 할 수 있습니다.
wrong-state = **{ $name }**은(는) 지금 “{ $state }” 상태라서 할 수 없습니다. { $hint }
signee-done = **{ $name }**의 **{ $party }** 서명자를 { $signee } ({ $email })(으)로 지정했습니다.
signee-password-elsewhere = 다른 당사자의 서명자에게 코메이크 웹사이트에서 정한 열람시 암호가 있는데, 봇은 그 암호를 알 수 없어 디스코드에서 서명자를 지정하면 암호가 지워집니다. 그래서 아무것도 바꾸지 않았습니다. 코메이크 웹사이트에서 계약을 열고 **서명요청**을 눌러, 서명자와 열람시 암호를 함께 지정해 주세요.
signee-unknown-party = **{ $name }**에 그런 당사자가 없습니다. 목록에서 골라 주세요.
request-missing = 아직 서명자가 없는 당사자: { $parties }. `/계약 서명자`로 지정하거나, 하나만 비어 있다면 여기서 이름과 이메일을 입력해 주세요.
request-inline-needs-one = 여기서 서명자를 입력했지만 서명자가 없는 당사자가 { $count }곳입니다. `/계약 서명자`로 하나씩 지정해 주세요.
request-inline-nothing-missing = 모든 당사자에게 이미 서명자가 있습니다. 바꾸려면 `/계약 서명자`를 써 주세요.
request-inline-incomplete = 여기서 서명자를 지정하려면 이름과 이메일을 모두 입력해 주세요.
request-preview = **{ $name }**의 서명요청을 다음 사람들에게 보낼까요?
request-preview-line = { $party }: { $signee } ({ $email }){ $kakao ->
    [yes] , 카카오톡으로도 알림
   *[no] {""}
  }{ $password ->
    [yes] , 열람시 암호 있음
   *[no] {""}
  }
request-preview-changed = 미리보기 이후 **{ $name }**의 서명자가 바뀌어서 아무것도 보내지 않았습니다. 지금 보내기를 누르면 다음과 같이 보냅니다:
request-preview-footer = **보내기**를 누르면 서명요청 이메일이 발송됩니다. 보낸 뒤에는 되돌릴 수 없고 취소만 할 수 있습니다.
request-sent = **{ $name }**의 서명요청을 보냈습니다.
request-already-sent = **{ $name }**의 서명요청은 이미 보냈습니다. 다시 보내지 않았습니다.
comake-refused-input = 코메이크가 입력값을 받아들이지 않았습니다. 확인 후 다시 시도해 주세요.
comake-forbidden = 코메이크가 이 계약을 다룰 권한이 없다고 응답했습니다.
comake-not-found = 이 계약은 이제 코메이크에 없습니다.

## 관리
admin-link-done = <@{ $user }> 님을 코메이크 사용자 **{ $name }** ({ $email })에 연결했습니다.
admin-not-member = <@{ $user }> 님은 이 서버의 멤버가 아니어서 여기서 연결할 수 없습니다.
admin-link-taken = 이 이메일은 이미 <@{ $owner }> 님에게 연결되어 있습니다. 먼저 `/코메이크-관리 연결해제`로 연결을 끊어 주세요.
admin-link-self = 자신의 디스코드 계정은 직접 연결할 수 없습니다. 누구도 혼자서 코메이크 계정 권한을 얻지 못하도록, 다른 서버 관리자가 연결해야 합니다. (관리자가 한 명뿐인 회사는 봇 운영자가 설정 ADMIN_SELF_LINK=true로 허용할 수 있습니다.)
admin-link-mail-subject = 이메일 주소가 디스코드 계정에 연결되었습니다
admin-link-mail-body = 안녕하세요.

    디스코드 서버 { $server }의 관리자 { $admin } 님이 회사의 코메이크 봇에서 이 이메일 주소({ $email })를 디스코드 사용자 { $user } 님에게 연결했습니다. 이제 그 디스코드 계정은 봇을 통해 이 주소의 코메이크 계약을 만들고, 서명요청을 보내고, 볼 수 있습니다.

    예상한 일이라면 할 일은 없습니다. 그렇지 않다면 바로 회사 관리자에게 알려 주세요. 관리자가 연결을 끊을 수 있고, 누가 연결했는지는 봇의 감사 기록에 남아 있습니다.
admin-link-dm = { $admin } 님이 { $server } 서버에서 회원님의 디스코드 계정을 코메이크 사용자 { $email }에 연결했습니다. 이제 여기에서 코메이크 계약을 다룰 수 있습니다. 예상하지 못한 일이라면 서버 관리자에게 알려 주세요.
admin-unlink-done = <@{ $user }> 님의 연결을 끊었습니다(이전: { $email }).
admin-unlink-none = <@{ $user }> 님은 연결되어 있지 않았습니다.
admin-list-empty = 아직 연결된 계정이 없습니다.
admin-list-header = 연결된 계정 { $pages }쪽 중 { $page }쪽 (모두 { $total }명):
admin-list-line = <@{ $user }> · { $email } · { $method ->
    [admin] 관리자가 연결
   *[self] 직접 가입
  } · { $since }
admin-audit-empty = 감사 기록이 없습니다.
admin-audit-header = 최근 감사 기록:
admin-audit-line = { $when } · <@{ $user }> · { $action }{ $contract } · { $outcome }
audit-account-register = 새 코메이크 사용자로 가입
audit-account-unlink = 내 계정 연결 해제
audit-admin-link = 연결
audit-admin-unlink = 연결 해제
audit-contract-cancel-sign = 서명요청 취소
audit-contract-delete = 계약 삭제
audit-contract-link-edit = 계약 변경 링크 받음
audit-contract-link-new = 계약서 올리기 링크 받음
audit-contract-rename = 계약 이름 변경
audit-contract-request-sign = 서명요청
audit-contract-set-signee = 서명자 지정
audit-contract-share = 상태 카드 공유
audit-contract-unshare = 상태 카드 공유 중지
audit-notifications-digest-daily = 매일 요약 켬
audit-notifications-digest-weekly = 매주 요약 켬
audit-notifications-digest-off = 요약 끔
audit-notifications-off = 알림 끔
audit-notifications-on = 알림 켬
audit-register-code-expired = 인증 코드 만료
audit-register-code-failed = 인증 코드 틀림
audit-register-code-proven = 인증 코드로 이메일 확인
audit-register-code-sent = 인증 코드 요청
audit-other = 이 버전의 봇이 모르는 작업
audit-outcome-ok = 완료
audit-outcome-refused = 거절됨
audit-outcome-error = 실패, 오류 번호
audit-outcome-other = 하지 않음
audit-outcome-not-sent = 보내지 않음
audit-outcome-wrong = 코드 틀림
audit-outcome-locked = 잠김
audit-outcome-expired = 만료됨
audit-detail-not-theirs = 본인 계약이 아님
audit-detail-signees-changed = 웹사이트에서 서명자가 바뀜
audit-detail-muted = 동료가 이 계약 알림을 끔
audit-detail-dms-closed = 동료가 DM을 받지 않음
audit-detail-already-nudged = 오늘 이미 재촉함
audit-detail-not-sender = 보낸 사람이 아님
audit-detail-not-linked = 연결되지 않음
audit-detail-not-their-turn = 그 사람의 차례가 아님
audit-detail-automatic = 자동
audit-detail-email-exists = 코메이크에 이미 있는 이메일
audit-detail-other-email = 코메이크가 다른 이메일로 응답함
audit-detail-email-linked = 다른 사람에게 연결된 이메일
audit-detail-created-unlinked = 코메이크 사용자는 만들어졌고, 그사이 생긴 연결을 유지함
audit-detail-too-many-codes = 이 이메일로 코드를 너무 많이 요청함
comake-conflict = 계약의 현재 상태에서는 코메이크가 그 작업을 받아들이지 않았습니다. `/계약 보기`로 확인해 주세요.

## 알림
notify-enabled = 알림을 켰습니다. 내가 보낸 계약을 서명자가 열람·서명·반려하거나 모두 서명을 마쳤을 때, 결재자가 결재하거나 반려했을 때, 그리고 내 차례(내 서명이나 결재를 기다리는 계약)가 왔을 때 DM으로 알려 드립니다. DM에는 로그인 링크를 절대 넣지 않습니다.
notify-disabled = 알림을 껐습니다. 다시 켜려면 `/코메이크 알림 사용:True`를 실행해 주세요.
dm-header = 코메이크 계약 소식입니다:
dm-viewed = **{ $signee }** 님이 **{ $name }**을(를) 열람했습니다.
dm-signed = **{ $signee }** 님이 **{ $name }**에 서명했습니다.
dm-rejected = **{ $signee }** 님이 **{ $name }** 서명을 반려했습니다.
dm-rejected-reason = **{ $signee }** 님이 **{ $name }** 서명을 반려했습니다: “{ $reason }”
dm-completed = **{ $name }**에 모두 서명해 계약이 체결되었습니다.
dm-cancelled = **{ $name }**의 서명요청이 취소되었습니다.
dm-waiting = **{ $name }**: 내가 서명할 차례입니다.
dm-button-how = { $name } 서명 방법
dm-footer = 계약별 알림은 아래 버튼으로 끌 수 있고, 받을 알림 종류는 `/코메이크 알림`에서 고를 수 있습니다.
dm-how-to-sign = **{ $name }**에 서명하려면 코메이크가 이메일(또는 카카오톡)로 보낸 서명 링크를 열어 주세요. 안전을 위해 이 봇은 메시지로 로그인 링크를 보내지 않습니다. `/계약 보기`로 계약 진행 상황을 볼 수 있습니다.
party-fallback = 당사자 { $n }
show-history-more = …이전 기록 { $count }건은 코메이크 웹사이트에서 볼 수 있습니다.
request-too-many = 이 계약의 서명자가 { $count }명이라 디스코드 메시지에 모두 표시할 수 없어 아무것도 준비하지 않았습니다. 코메이크 웹사이트에서 서명요청을 보내 주세요.
error-not-delivered = 디스코드가 답변을 받지 않아 결과를 보여 드리지 못했습니다. 다시 시도해 주세요. 계속 같은 문제가 생기면 서버 관리자에게 이 오류 번호를 알려 주세요: `{ $id }`
admin-audit-more = …여기에 다 표시하지 못한 이전 기록이 { $count }건 더 있습니다. `/코메이크-관리 감사기록 사용자:`로 멤버 한 명을 골라 그 사람의 기록을 보세요.
pending-none = 서명이나 결재를 기다리는 내 계약도, 내가 서명하거나 결재할 계약도 없습니다.
pending-sent-line = **{ $name }** ({ $state }) · { $who } · { $since }부터
pending-not-signed = 아직 서명하지 않은 사람: { $names }
pending-approval = 결재 진행중 (결재는 코메이크 웹사이트에서)
pending-not-approved = 아직 결재하지 않은 사람: { $names } (결재는 코메이크 웹사이트에서)
pending-more-on-web = …나머지는 코메이크 웹사이트에서 볼 수 있습니다.
list-in-box = { $tab }, { $box }
box-all = 전체
box-sent = 요청 보냄
box-received = 요청 받음
box-my_turn = 내 차례
dm-waiting-approval = **{ $name }**: 내가 결재할 차례입니다. 결재는 코메이크 웹사이트에서 할 수 있습니다.
dm-approved = **{ $name }** 결재가 완료되었습니다. 이제 서명요청을 보낼 수 있습니다.
dm-button-request = 서명요청
dm-approval-rejected = **{ $name }** 결재가 반려되었습니다.
dm-approval-rejected-reason = **{ $name }** 결재가 반려되었습니다: “{ $reason }”
dm-withdrawn-mine = 보낸 사람이 나에게 온 **{ $name }** 요청을 취소했습니다. 따로 할 일은 없습니다.
dm-approval-cancelled = **{ $name }**의 결재 요청이 취소되었습니다.
hint-approval-rejected = 결재자가 반려했습니다. 코메이크 웹사이트에서 계약 변경(`/계약 수정`)을 한 뒤 다시 결재를 요청하거나, 삭제해 주세요.
notify-digest-daily = 요약을 켰습니다. 매일 오전 9시({ $zone })에 { $days }일 넘게 다른 사람을 기다리는 계약과 내 차례인 계약을 DM으로 보내 드립니다(없으면 보내지 않습니다).
notify-digest-weekly = 요약을 켰습니다. 매주 월요일 오전 9시({ $zone })에 { $days }일 넘게 다른 사람을 기다리는 계약과 내 차례인 계약을 DM으로 보내 드립니다(없으면 보내지 않습니다).
notify-settings = 지금 알림 설정:
    • 실시간 DM: { $live }
    • 요약: { $digest }
    • 받는 알림: { $kinds }
    • 알림을 끈 계약: { $muted }
    • 내 상태 카드: { $cards }
    `/코메이크 알림`의 `사용:`, `요약:`, `끄기:`, `켜기:` 옵션으로 바꿀 수 있습니다.
notify-settings-live-on = 켜짐
notify-settings-live-off = 꺼짐
notify-settings-live-closed = 켜져 있지만 멈춤: 봇이 DM을 보낼 수 없었습니다(명령을 하나 실행하면 다시 보냅니다)
notify-settings-digest-off = 꺼짐
notify-settings-digest-daily = 매일 오전 9시({ $zone })
notify-settings-digest-weekly = 매주 월요일 오전 9시({ $zone })
notify-digest-off = 요약을 껐습니다.
digest-header = 코메이크 요약:
digest-stale = **{ $name }**: { $since }부터 다른 사람의 서명이나 결재를 기다리는 중
digest-waiting = **{ $name }**: { $since }부터 내 서명이나 결재를 기다리는 중
digest-more = …외 { $count }건은 `/계약 대기`에서 볼 수 있습니다.
card-header = **{ $name }**: { $state }
card-party = { $party }: { $signee } · { $progress }
card-party-open = { $party }: 서명자 없음
card-live = { $owner } 님이 공유 · 마지막 변경 { $changed } · 계약이 끝날 때까지 코메이크 봇이 자동으로 갱신합니다.
card-final = { $owner } 님이 공유 · 마지막 변경 { $changed } · 최종 상태: 더 이상 갱신하지 않습니다.
button-share = 이 채널에 공유
button-unshare = 공유 중지
card-shared = **{ $name }**의 상태 카드를 이 채널에 올렸습니다. 계약이 끝나거나 공유를 멈출 때까지 자동으로 갱신됩니다. 카드에는 계약 이름과 진행 상황만 보이며, 회사 밖 사람의 이름은 가려집니다.
card-preview = 이 상태 카드를 이 채널에 올릴까요? **채널을 볼 수 있는 모든 사람에게 아래 내용이 그대로 보이며**, 계약이 끝나거나 공유를 멈출 때까지 자동으로 갱신됩니다.
button-post = 이 채널에 올리기
card-not-posted = 알겠습니다. 아무것도 올리지 않았습니다.
card-channel-not-listed = 이 채널에는 상태 카드를 올릴 수 없습니다. 봇 설정에 지정된 채널에만 올릴 수 있습니다.
card-member-no-permission = 내게 이 채널에 메시지를 보낼 권한이 없어서 상태 카드를 올리지 않았습니다(봇이 대신 올려 주지 않습니다).
card-unshared = 상태 카드를 더 이상 갱신하지 않습니다. 이미 올라간 카드는 채널에 그대로 남습니다.
card-not-shared = 이 계약에는 내가 올린 상태 카드가 없습니다.
card-no-channel = 상태 카드는 서버 채널에만 올릴 수 있습니다.
card-no-permission = 이 채널에 글을 올릴 수 없습니다. 서버 관리자가 봇에게 채널 보기와 메시지 보내기 권한을 주어야 합니다.
card-ended = **{ $name }**은(는) 이미 끝난 계약이라 더 갱신할 내용이 없습니다. 상태 카드를 올리지 않았습니다.
card-already-shared = **{ $name }**에는 이미 상태 카드가 있습니다. 새로 올리려면 먼저 공유를 멈춰 주세요.
card-just-posted = **{ $name }**의 상태 카드를 1분 안에 이미 올려서 이번에는 올리지 않았습니다. 새로 올리려면 1분 뒤에 다시 시도해 주세요.
delete-done-trash = **{ $name }**을(를) 코메이크 휴지통으로 옮겼습니다. 코메이크 웹사이트의 휴지통에서 되살릴 수 있습니다.
history-created = { $actor }: 계약 생성
history-signees-set = { $actor }: 서명자 지정
history-approval-requested = { $actor }: 결재 요청
history-approved = { $actor }: 결재함
history-approval-rejected = { $actor }: 결재 반려
history-approval-cancelled = { $actor }: 결재요청 취소
history-sign-requested = { $actor }: 서명요청
history-viewed = { $actor }: 열람
history-signed = { $actor }: 서명
history-sign-rejected = { $actor }: 서명 반려
history-sign-cancelled = { $actor }: 서명요청 취소
history-completed = 모두 서명해 계약이 체결됨
history-trashed = { $actor }: 휴지통으로 옮김
history-other = { $actor }: 그 밖의 작업 (코메이크 웹사이트에서 확인)
history-actor-me = 나
history-actor-sender = 보낸 사람
history-actor-someone = 다른 사람
help = **코메이크 봇 간단 안내**
    • **기본 순서**: `/계약 새계약`으로 나만 보는 링크를 받아 코메이크 웹사이트에서 계약서를 올리고 서명란을 설정합니다 → `/계약 서명자`로 당사자별 서명자를 지정합니다(`동료:`는 연결된 동료, `나:True`는 나이며, `/계약 보기`의 **서명자 지정**을 누르면 입력 창이 열립니다) → `/계약 서명요청`으로 누구에게 요청이 가는지 확인하고 **보내기**를 누릅니다. `/계약 대기`는 기다리는 계약과 누구를 기다리는지, `/계약 보기`는 계약 하나의 진행 상황과 기록, 할 수 있는 일을 보여 줍니다.
    • **나만 보는 것**: 봇의 모든 답은 나에게만 보입니다. 링크에는 1시간 동안 쓸 수 있는 로그인이 들어 있어 나에게만 보여 드립니다. 공개되는 것은 내가 직접 올린 것뿐입니다: 상태 카드(`/계약 보기`의 **이 채널에 공유**, 회사 밖 사람의 이름은 가려짐)와 내 계약 현황판(`/계약 현황판`, 건수와 내가 보낸 계약의 이름만 보이고 사람 이름은 없음).
    • **알림**: 내가 보낸 계약이 진행되거나(결재 단계마다 포함), 내가 서명·결재할 차례가 되거나, 나에게 온 계약이 끝나면 DM으로 알려 드립니다. `/코메이크 알림`으로 지금 설정을 보고, `끄기:`·`켜기:` 옵션으로 받을 알림 종류를 고르며, `요약:` 옵션으로 아침 요약을 받을 수 있습니다. DM의 **알림 끄기** 버튼은 계약 하나의 알림을 끕니다.
    • **재촉**: `/계약 대기`, `/계약 보기`와 요약 DM의 **재촉** 버튼은 서명·결재할 차례인 연결된 동료에게 재촉 DM을 보냅니다(계약마다 하루 한 번). 회사 밖 서명자는 봇이 재촉할 수 없습니다. `/계약 서명요청 자동재촉:`에 일수를 적으면, 그동안 진행이 없을 때 봇이 알아서 재촉합니다.
    • **처음이라면**: `/코메이크 가입`(회사에서 허용한 경우)으로 가입하거나, 관리자에게 연결을 부탁하세요.

## Onboarding: admins create Comake users, and what works in this configuration
error-not-linked-admin = 디스코드 계정이 아직 코메이크에 연결되지 않았습니다. 서버 관리자에게 `/코메이크-관리 연결`로 코메이크 사용자를 연결해 달라고 하거나, 코메이크 사용자가 없다면 `/코메이크-관리 등록`으로 만들어 달라고 요청해 주세요.
admin-link-no-user-open = 이 회사의 코메이크에 그 이메일을 쓰는 사용자가 없습니다. 본인이 `/코메이크 가입`으로 직접 가입하거나, 관리자가 `/코메이크-관리 등록`으로 만들어 줄 수 있습니다.
admin-link-no-user-admin = 이 회사의 코메이크에 그 이메일을 쓰는 사용자가 없습니다. `/코메이크-관리 등록`으로 새로 만들어 연결해 주세요. (이 봇에는 코드를 보낼 메일 서버가 없어 직접 가입은 꺼져 있습니다.)
admin-register-done = <@{ $user }> 님을 새 코메이크 사용자 **{ $name }** ({ $email })에 연결했습니다.
admin-register-raced = 그사이 <@{ $user }> 님이 { $email }에 연결되어(다른 서버 관리자가 했거나 두 번 눌렸습니다) 그 연결을 그대로 둡니다. 코메이크 사용자 { $created }는 만들어졌지만 아무와도 연결되지 않았습니다. 그 사람을 위한 것이었다면 `/코메이크-관리 연결`로 연결해 주세요.
admin-register-exists = 코메이크에 { $email } 사용자가 이미 있어 새로 만들지 않았습니다. `/코메이크-관리 연결`로 <@{ $user }> 님을 그 사용자에 연결해 주세요.
admin-register-already-linked = <@{ $user }> 님은 이미 { $email }에 연결되어 있어 코메이크 사용자를 새로 만들지 않았습니다. 이미 있는 다른 코메이크 사용자로 옮기려면 `/코메이크-관리 연결`을, 처음부터 다시 하려면 먼저 `/코메이크-관리 연결해제`를 써 주세요.
admin-register-refused-input = 코메이크가 그 이름, 이메일 또는 전화번호를 받아들이지 않았습니다. 확인하고 다시 시도해 주세요.
audit-admin-register = 코메이크 사용자 등록

## Pending, split as Comake's dashboard: approval waiting and signature waiting
pending-split-header = **기다리는 계약** ({ $pages }쪽 중 { $page }쪽): 결재 { $approval }건, 서명 { $signature }건 (그중 내 차례 { $mine }건)
pending-group-approval = __결재 대기중__
pending-group-signature = __서명 대기중__
pending-mine-line = **{ $name }**: 내 { $asked ->
    [approval] 결재
   *[signature] 서명
  } 차례, { $since }부터

## Signees: request messages kept when one party's signee changes
signee-message-unknown = **{ $name }**의 다른 당사자(**{ $party }**) 서명자는 코메이크 웹사이트에서 지정되어, 그때 함께 쓴 요청 메시지를 봇이 알 수 없습니다(코메이크가 메시지를 알려 주지 않습니다). 여기서 서명자를 지정하면 그 메시지가 지워지므로 아무것도 바꾸지 않았습니다. 코메이크 웹사이트에서 계약을 열고 **서명요청**을 눌러 서명자를 지정해 주세요.
## Picking signees, the signee form, next steps and the team board
signee-pick-one = 서명자는 한 가지 방법으로만 지정해 주세요: `동료:`(연결된 동료), `나:True`(나), 또는 회사 밖 사람이면 이름과 이메일을 직접 입력합니다.
signee-member-not-linked = 그 멤버는 코메이크 사용자와 연결되어 있지 않아 이름과 이메일을 알 수 없습니다. 그 멤버가 `/코메이크 가입`으로 가입하거나 서버 관리자가 연결해야 합니다. 지금은 이름과 이메일을 직접 입력해 주세요.
request-missing-pick = **{ $name }**에 아직 서명자가 없는 당사자가 있습니다: { $parties }. 당사자를 눌러 서명자를 지정한 뒤 **서명요청**을 다시 눌러 주세요.
button-set-signees = 서명자 지정
button-show = 보기
signee-form-button = 서명자: { $party }
signee-form-choose = **{ $name }**의 당사자별 서명자입니다. 당사자를 눌러 서명자를 지정하세요:
signee-form-line = { $party }: { $signee }
signee-form-line-open = { $party }: 서명자 없음
signee-form-too-many = 이 계약은 당사자가 { $count }곳이라 버튼으로 다 보여 드릴 수 없습니다. `/계약 서명자`로 지정해 주세요.
signee-form-title = { $party }의 서명자
signee-form-name = 이름
signee-form-email = 이메일
signee-form-phone = 휴대폰 번호 (선택)
signee-form-message = 서명자에게 보낼 메시지 (선택)
dm-created = 새 계약 **{ $name }**이(가) 저장되었습니다. 다음 순서: 서명자를 지정하고 서명요청을 보내세요.
board-header = **{ $owner } 님의 계약 현황판**
board-sign-me = 서명 대기중
board-approve-me = 결재 대기중
board-out = 체결중
board-in-approval = 결재중
board-editable = 계약 변경 가능
board-line-none = { $label }: 0건
board-line-count = { $label }: **{ $count }건**
board-line = { $label }: **{ $count }건** · { $names }
board-line-more = { $label }: **{ $count }건** · { $names } 외 { $more }건
board-footer = { $owner } 님이 게시 · 공유를 멈출 때까지 코메이크 봇이 자동으로 갱신합니다. 직접 보낸 계약만 이름이 보이고(받은 계약은 건수만), 사람 이름, 이메일, 링크는 없습니다.
board-preview = 내 계약 현황판을 이 채널에 올릴까요? **채널을 볼 수 있는 모든 사람에게 아래 내용이 그대로 보이며**, 공유를 멈출 때까지 자동으로 갱신됩니다.
board-preview-replace = 현황판을 이 채널에 다시 올릴까요? 이 채널에 있던 내 현황판은 더 이상 갱신되지 않고 새 현황판이 대신합니다. **채널을 볼 수 있는 모든 사람에게 아래 내용이 그대로 보입니다**.
board-posted = 내 계약 현황판을 이 채널에 올렸습니다. 공유를 멈출 때까지(`/계약 현황판` → **공유 중지**) 자동으로 갱신됩니다.
board-replaced = 이 채널에 있던 이전 현황판은 더 이상 갱신하지 않습니다.
board-just-posted = 1분 안에 이미 현황판을 올려서 이번에는 올리지 않았습니다. 1분 뒤에 다시 시도해 주세요.
board-unshared = 이 채널의 현황판을 더 이상 갱신하지 않습니다. 현황판은 그대로 남습니다.
board-none = 이 채널에는 내가 올린 현황판이 없습니다.
board-no-channel = 계약 현황판은 서버 채널에만 올릴 수 있습니다.
board-channel-not-listed = 이 채널에는 계약 현황판을 올릴 수 없습니다. 봇 설정에 지정된 채널에만 올릴 수 있습니다.
board-member-no-permission = 내게 이 채널에 메시지를 보낼 권한이 없어서 현황판을 올리지 않았습니다(봇이 대신 올려 주지 않습니다).
board-no-permission = 이 채널에 글을 올릴 수 없습니다. 서버 관리자가 봇에게 채널 보기와 메시지 보내기 권한을 주어야 합니다.
audit-contract-board = 계약 현황판 게시
audit-contract-board-unshare = 계약 현황판 공유 중지
## Nudges (재촉)
nudge-button = { $name } 재촉
nudge-button-on = { $name } 재촉: { $contract }
nudge-outside = 회사 밖 서명자({ $names })에게는 봇이 재촉할 수 없습니다. 코메이크 웹사이트에서 다시 알려 주세요: <{ $web }>
nudge-sent = **{ $who }** 님에게 **{ $name }** 재촉 DM을 보냈습니다. 이 계약으로 같은 분께는 내일 다시 재촉할 수 있습니다.
nudge-too-soon = **{ $who }** 님에게는 오늘 이미 이 계약을 재촉했습니다. { $next }부터 다시 재촉할 수 있습니다.
nudge-dms-closed = **{ $who }** 님이 봇의 DM을 받지 않아 재촉을 보내지 못했습니다. 다른 방법으로 알려 주세요.
nudge-muted = **{ $who }** 님이 **{ $name }** 알림을 꺼 두어 봇이 재촉하지 않습니다. 다른 방법으로 알려 주세요.
nudge-not-linked = 이 동료는 더 이상 코메이크에 연결되어 있지 않아 봇이 재촉할 수 없습니다.
nudge-not-their-turn = 지금은 **{ $name }**에서 그분이 서명하거나 결재할 차례가 아니어서 아무것도 보내지 않았습니다.
nudge-dm-sign = **{ $sender }** 님의 재촉: **{ $name }**이(가) { $since }부터 내 서명을 기다리고 있습니다.
nudge-dm-approve = **{ $sender }** 님의 재촉: **{ $name }**이(가) { $since }부터 내 결재를 기다리고 있습니다. 결재는 코메이크 웹사이트에서 할 수 있습니다.
invalid-remind-after = `자동재촉`은 1일에서 30일까지 정할 수 있습니다.
request-remind = 자동재촉: { $days }일 동안 진행이 없으면 차례인 동료에게 재촉 DM을 한 번 보냅니다.
request-remind-kept = { $days }일 동안 진행이 없으면 차례인 동료에게 재촉 DM을 한 번 보냅니다(회사 밖 서명자는 봇이 재촉할 수 없습니다).
request-remind-lost = 자동재촉을 설정하지 못했습니다. 필요할 때 `/계약 대기`에서 **재촉** 버튼을 눌러 주세요.
audit-contract-nudge = 동료에게 재촉

## Notification choices: approval steps, kinds of news, muted contracts
dm-approval-line = 결재선:
dm-approval-step = **{ $name }** 결재선 { $n }/{ $of }: **{ $approver }** 결재 완료
dm-approval-step-rejected = **{ $name }** 결재선 { $n }/{ $of }: **{ $approver }** 결재 반려
dm-approval-step-rejected-reason = **{ $name }** 결재선 { $n }/{ $of }: **{ $approver }** 결재 반려 — “{ $reason }”
dm-button-mute = “{ $name }” 알림 끄기
notify-button-unmute = “{ $name }” 알림 다시 받기
notify-muted = **{ $name }** 알림을 껐습니다. 이 계약은 DM(요약 포함)으로 알려 드리지 않습니다. 아래 버튼이나 `/코메이크 알림`에서 다시 켤 수 있습니다.
notify-unmuted = **{ $name }** 알림을 다시 켰습니다. 이제 다시 DM으로 알려 드립니다(꺼져 있던 동안의 소식은 보내지 않습니다).
notify-unmute-none = 알림이 꺼져 있는 계약이 아닙니다.
notify-mute-unknown = 내 계약 중에서 그 계약을 더 이상 찾을 수 없어 알림을 끌 수 없습니다.
notify-mute-full = 알림을 끈 계약이 이미 최대인 { $max }개입니다. `/코메이크 알림`에서 하나를 먼저 다시 켜 주세요.
news-kind-viewed = 서명자 열람
news-kind-signed = 서명자 서명
news-kind-declined = 서명 반려
news-kind-completed = 체결·서명요청 취소
news-kind-approval = 결재 진행(결재·반려)
news-kind-my_turn = 내 차례(서명·결재)
notify-kind-off = 이제 “{ $kind }” 알림은 DM으로 보내지 않습니다. `/코메이크 알림 켜기:`로 다시 받을 수 있습니다.
notify-kind-on = 이제 “{ $kind }” 알림을 다시 DM으로 보내 드립니다(꺼져 있던 동안의 소식은 보내지 않습니다).
notify-kind-both = `끄기:`와 `켜기:`에는 서로 다른 종류를 골라 주세요.
notify-settings-kinds-all = 모두
notify-settings-kinds-off = { $kinds } 빼고 모두
notify-settings-none = 없음
notify-settings-muted = { $names } (아래 버튼으로 다시 켤 수 있습니다)
notify-settings-card = { $channel }의 **{ $name }**
notify-settings-card-unnamed = 계약
notify-settings-cards-more = 외 { $count }개
audit-notifications-kind-off = 알림 종류 하나 끔
audit-notifications-kind-on = 알림 종류 하나 켬
audit-notifications-mute = 계약 알림 끔
audit-notifications-unmute = 계약 알림 다시 켬
