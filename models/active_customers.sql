-- Active customers with an email address, for the active-customers-by-email sync.
select email,
       first_name,
       last_name,
       city,
       country,
       plan,
       lifetime_value,
       signed_up_at
from customers
where is_active
  and email is not null
order by customer_id
