-- wrk script for the sends scenario: every request POSTs one message to the URL's path
-- (POST /{account}/messages) with a JSON body. Recipients vary over +13035550101..+13035559999:
-- never 0000/0001/0002 (the simulator's failing numbers) nor 0100 (the account's own number).
-- Each wrk thread takes its own residue, so two threads never send the same sequence.
local threads = 0

function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

local sent = 0

function request()
  sent = sent + 1
  local ending = 101 + ((sent * 2 + (thread_index or 0)) % 9899)
  local body = string.format('{"to":"+1303555%04d","body":"Bench message %d from thread %d"}', ending, sent, thread_index or 0)
  return wrk.format("POST", nil, nil, body)
end
